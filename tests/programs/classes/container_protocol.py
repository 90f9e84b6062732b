# __len__, __getitem__, __contains__ and __setitem__.
class Deck:
    def __init__(self, cards):
        self.cards = list(cards)

    def __len__(self):
        return len(self.cards)

    def __getitem__(self, index):
        return self.cards[index]

    def __setitem__(self, index, value):
        self.cards[index] = value

    def __contains__(self, card):
        print("checking", card)
        return card in self.cards


d = Deck("AKQJ")
print(len(d), d[0], d[-1], d[1:3])
d[0] = "2"
print(d.cards)
print("K" in d, "X" in d, "X" not in d)
print(bool(Deck([])), bool(d))
class Squares:
    def __getitem__(self, i):
        if i >= 5:
            raise IndexError(i)
        return i * i
print(list(Squares()), 9 in Squares())
for v in Squares():
    print("sq", v)
