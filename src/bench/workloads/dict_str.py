# Strings as dict keys: build 500k keys, then look each one up again.
def main():
    d = {}
    for i in range(500_000):
        d["key" + str(i)] = i
    total = 0
    for i in range(500_000):
        total += d["key" + str(i)]
    words = " ".join(str(i % 97) for i in range(100_000)).split()
    counts = {}
    for w in words:
        counts[w] = counts.get(w, 0) + 1
    print(len(d), total, len(counts))


main()
