# Docstrings and __name__ of functions.
def documented(x):
    """Return x doubled."""
    return x * 2


def undocumented():
    return None


def multi_line():
    """First line.

    More detail here.
    """


print(documented.__doc__)
print(undocumented.__doc__)
print(repr(multi_line.__doc__.splitlines()[0]))
print(documented.__name__, undocumented.__name__)
square = lambda v: v * v
print(square.__name__)
alias = documented
print(alias.__name__, alias(21))
def outer():
    def inner():
        pass
    return inner
print(outer().__name__, outer.__name__)
class K:
    """Class doc."""
    def method(self):
        """Method doc."""
print(K.__doc__, K.method.__doc__, K.__name__, K.method.__name__)
