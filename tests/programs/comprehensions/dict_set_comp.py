# Dict and set comprehensions.
squares = {x: x * x for x in range(5)}
print(squares)
print({v: k for k, v in squares.items() if v > 1})
print(sorted({x % 4 for x in range(20)}))
print(sorted({c for c in "mississippi"}))
words = ["one", "two", "three", "four"]
print({w: len(w) for w in words if "o" in w})
print({(i, j): i * j for i in range(2) for j in range(3)})
lengths = {len(w) for w in words}
print(sorted(lengths), len(lengths))
print({k: [x for x in range(k)] for k in range(4)})
