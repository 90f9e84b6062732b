# Uncaught AssertionError with a message.
balance = 10
assert balance > 0, "balance must be positive"
print("first assert passed")
balance -= 25
assert balance >= 0, f"overdrawn: {balance}"
