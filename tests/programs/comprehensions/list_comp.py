# List comprehensions with several for/if clauses.
print([x * x for x in range(6)])
print([x for x in range(20) if x % 2 == 0 if x % 3 == 0])
print([(x, y) for x in range(3) for y in range(x)])
print([c.upper() for c in "hello" if c != "l"])
print([x if x % 2 else -x for x in range(6)])
words = ["apple", "bob", "kayak", "level", "python"]
print([w for w in words if w == w[::-1]])
print([len(w) for w in words])
print([(i, j, k) for i in range(2) for j in range(2) if i != j for k in "ab"])
matrix = [[1, 2, 3], [4, 5, 6]]
print([v for row in matrix for v in row])
print([[row[i] for row in matrix] for i in range(3)])
