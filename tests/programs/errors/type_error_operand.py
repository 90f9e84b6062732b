# Uncaught TypeError: unsupported operand types.
total = 5
label = "items"
print(total, label)
result = total + label
