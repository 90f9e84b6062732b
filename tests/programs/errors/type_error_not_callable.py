# Uncaught TypeError: calling a non-callable object.
value = 42
print("value", value)
value()
