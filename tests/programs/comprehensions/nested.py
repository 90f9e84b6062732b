# Nested comprehensions.
grid = [[i * 3 + j for j in range(3)] for i in range(3)]
print(grid)
print([[x * 10 for x in row if x % 2] for row in grid])
print({i: {j: i + j for j in range(2)} for i in range(2)})
flat = [x for row in [[y for y in range(r)] for r in range(4)] for x in row]
print(flat)
print([sum(row) for row in grid], sum(sum(row) for row in grid))
pairs = [(a, b) for a in range(1, 5) for b in range(a, 5) if a * b == 4]
print(pairs)
print([[c for c in word] for word in ["ab", "cde"]])
