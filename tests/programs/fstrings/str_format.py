# str.format with positional, keyword and index fields.
print("{} + {} = {}".format(1, 2, 3))
print("{0} {1} {0}".format("a", "b"))
print("{name} is {age}".format(name="Ann", age=30))
print("{0[0]} {0[2]} {1[k]}".format([10, 20, 30], {"k": "v"}))
class P:
    x = 5
print("{p.x}".format(p=P()))
print("{:.2f}|{:>6}|{:05d}|{:,}".format(3.14159, "r", 42, 1234567))
print("{0:<8}|{0:^8}|{0:>8}|".format("mid"))
print("{:x} {:#b} {:.1%} {:+.1e}".format(255, 5, 0.5, 12345.0))
print("{:{}.{}f}|".format(2.71828, 8, 2))
print("{{}} {}".format("braces"))
print("{!r} {!s}".format("q", "q"))
template = "{greeting}, {0}!"
print(template.format("Bob", greeting="Hi"))
