# A generator expression consumed by sum(): 5M resumptions of a suspended frame.
print(sum(i * i for i in range(5_000_000)))
