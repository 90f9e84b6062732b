# while loops with else, break and continue.
n = 0
while n < 5:
    n += 1
    if n == 2:
        continue
    print("n", n)
else:
    print("while finished normally")
k = 10
while k > 0:
    if k == 7:
        print("breaking at", k)
        break
    k -= 1
else:
    print("not printed")
count = 0
while True:
    count += 1
    if count >= 3:
        break
print("count", count)
while False:
    print("never")
else:
    print("else on empty while")
