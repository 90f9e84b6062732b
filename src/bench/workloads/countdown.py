# The tightest loop there is: a compare, a subtraction and a backward jump, 10M times.
def main():
    n = 10_000_000
    while n > 0:
        n -= 1
    print(n)


main()
