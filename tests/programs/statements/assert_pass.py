# assert statements that pass, and a caught failing assert.
assert True
assert 1 + 1 == 2, "math works"
assert [1], "non-empty list is truthy"
x = 5
assert isinstance(x, int) and x > 0
print("all asserts passed")
try:
    assert x < 0, f"x must be negative, got {x}"
except AssertionError as e:
    print("AssertionError:", e, e.args)
try:
    assert False
except AssertionError as e:
    print("no message:", repr(e), e.args)
def pass_only():
    pass
class Empty:
    pass
print(pass_only(), type(Empty()).__name__)
