# Sorting 500k pseudo-random ints (a linear congruential generator, so both runs agree).
def main():
    x = 12345
    xs = []
    for _ in range(500_000):
        x = (x * 1103515245 + 12345) % 2147483648
        xs.append(x)
    ys = sorted(xs)
    xs.sort(reverse=True)
    print(ys[0], ys[-1], xs[0] == ys[-1])


main()
