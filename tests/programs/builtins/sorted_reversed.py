# sorted (key=, reverse=, stability) and reversed.
data = [5, 2, 9, 1, 5, 6]
print(sorted(data), sorted(data, reverse=True), data)
print(sorted("python"), sorted({3: "a", 1: "b"}), sorted((2.5, 1, -3)))
people = [("ann", 30), ("bob", 25), ("cy", 30), ("di", 25), ("ed", 35)]
print(sorted(people, key=lambda p: p[1]))
print(sorted(people, key=lambda p: p[1], reverse=True))
print(sorted(people, key=lambda p: (-p[1], p[0])))
words = ["Banana", "apple", "cherry", "Apple"]
print(sorted(words), sorted(words, key=str.lower), sorted(words, key=len))
print(list(reversed([1, 2, 3])), list(reversed("abc")), list(reversed((1, 2))))
print("".join(reversed("stressed")))
print(sorted([[2, 1], [1, 2], [1]]), sorted([True, False, 0, 1]))
