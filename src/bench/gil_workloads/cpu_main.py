# A CPU-bound main() for `--processes N`: each replica runs the same loop.
# Usage: gilsim run --processes N cpu_main.py ITERATIONS
import sys


def burn(n):
    acc = 0
    for i in range(n):
        acc += i * i % 7
    return acc


def main():
    burn(int(sys.argv[1]))


if __name__ == "__main__":
    pass
