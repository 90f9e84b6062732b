# Default values are evaluated once: the mutable default gotcha.
def append_to(item, bucket=[]):
    bucket.append(item)
    return bucket


print(append_to(1))
print(append_to(2))
print(append_to(3, []))
print(append_to(4))
def safe_append(item, bucket=None):
    if bucket is None:
        bucket = []
    bucket.append(item)
    return bucket
print(safe_append(1), safe_append(2))
counter = 10
def show(value=counter):
    return value
counter = 20
print(show(), counter)
def multi(a, b=2, c=3):
    return a * 100 + b * 10 + c
print(multi(1), multi(1, 5), multi(1, c=9))
print(append_to.__defaults__)
