# Implicit line joining inside brackets and explicit backslash continuation.
numbers = [
    1, 2,
    3,
        4,   # odd indentation inside brackets is ignored
]
print(numbers)

mapping = {
    "a": 1,
    "b": (2,
          3),
}
print(mapping)

result = (1 +
          2 +
          3)
print(result)

total = 10 + \
    20 + \
    30
print(total)

if total > 50 and \
        result == 6:
    print("both true")

def f(a,
      b=2,
      *,
      c=3):
    return a + b + c

print(f(1,
        c=10))
text = ("implicit "
        "concatenation "
        'across lines')
print(text)
