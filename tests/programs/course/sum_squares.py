# The course's heavy(n): sum(i ** 2 for i in range(n)).
def heavy(n):
    return sum(i ** 2 for i in range(n))


def cpu_task(n):
    total = 0
    for i in range(n):
        total += i * i
    return total


for n in [0, 1, 10, 1000, 50_000]:
    print(n, heavy(n), heavy(n) == cpu_task(n))
results = list(map(heavy, [10] * 4))
print(results)
print(heavy(3_000_000 // 100))
