# NEWLINE / INDENT / DEDENT handling, including several dedents at once.
def classify(n):
    if n < 0:
        return "negative"
    else:
        if n == 0:
            return "zero"
        elif n < 10:
            if n % 2 == 0:
                return "small even"
            return "small odd"
    return "large"


for value in [-3, 0, 4, 7, 12]:
    print(value, classify(value))

total = 0
for i in range(3):
    for j in range(3):
        if (i + j) % 2:
            total += i * j
print("total", total)
    # an indented comment does not change indentation
print("done")
