# break and continue only affect the innermost loop.
for i in range(4):
    for j in range(4):
        if j == i:
            continue
        if j > 2:
            break
        print(i, j)
    if i == 2:
        print("outer break")
        break
found = None
for row in [[1, 2], [3, 4], [5, 6]]:
    for v in row:
        if v == 4:
            found = v
            break
    if found is not None:
        break
print("found", found)
i = 0
while i < 3:
    i += 1
    j = 0
    while True:
        j += 1
        if j > i:
            break
        if j == 2:
            continue
        print("i", i, "j", j)
