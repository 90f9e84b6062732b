# The format() builtin.
print(format(3.14159, ".2f"))
print(format(42, "05d"), format(42, "x"), format(42, "#o"), format(42, "b"))
print(format(1234567.891, ",.2f"), format(0.5, "%"), format(0.125, ".1%"))
print(format("text", ">8") + "|", format("text", "<8") + "|", format("text", "^8") + "|")
print(repr(format(12)), repr(format(1.5)), repr(format("s")), repr(format(None)))
print(format(-0.0, ".1f"), format(float("inf"), "f"), format(float("nan"), ">5"))
print(format(1e300, ".3e"), format(123, "+"), format(-123, " "))
print(format(2 ** 70, ","), format(10 ** 6, "_"))
