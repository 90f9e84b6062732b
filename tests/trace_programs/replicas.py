# main() replicated by `--threads N` / `--processes N`: a little computing, a little waiting.
import time


def work(n):
    total = 0
    for i in range(n):
        total += i * i
    return total


def main():
    total = work(100_000)
    time.sleep(0.002)
    total += work(50_000)
    print("done", total)


if __name__ == "__main__":
    main()
