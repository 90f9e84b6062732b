# random: only properties that hold for any generator (never the values themselves).
import random
random.seed(1)
values = [random.random() for _ in range(100)]
print(all(0.0 <= v < 1.0 for v in values), len(set(values)) > 90)
ints = [random.randint(1, 6) for _ in range(200)]
print(all(1 <= v <= 6 for v in ints), set(ints) <= {1, 2, 3, 4, 5, 6})
rr = [random.randrange(0, 10, 2) for _ in range(50)]
print(all(v in (0, 2, 4, 6, 8) for v in rr))
items = ["a", "b", "c", "d"]
print(all(random.choice(items) in items for _ in range(20)))
deck = list(range(20))
random.shuffle(deck)
print(sorted(deck) == list(range(20)), len(deck))
u = random.uniform(2.0, 3.0)
print(2.0 <= u <= 3.0)
random.seed(42)
first = [random.random() for _ in range(5)]
random.seed(42)
second = [random.random() for _ in range(5)]
print(first == second)
sample = random.sample(range(100), 10)
print(len(sample), len(set(sample)), all(0 <= v < 100 for v in sample))
