# __eq__ and __lt__: equality, sorting, min/max.
class Version:
    def __init__(self, major, minor):
        self.major, self.minor = major, minor

    def __eq__(self, other):
        if not isinstance(other, Version):
            return NotImplemented
        return (self.major, self.minor) == (other.major, other.minor)

    def __lt__(self, other):
        return (self.major, self.minor) < (other.major, other.minor)

    def __repr__(self):
        return f"v{self.major}.{self.minor}"


vs = [Version(2, 0), Version(1, 5), Version(1, 10), Version(0, 9)]
print(sorted(vs))
print(sorted(vs, reverse=True))
print(min(vs), max(vs))
print(Version(1, 5) == Version(1, 5), Version(1, 5) != Version(1, 6))
print(Version(1, 0) == "1.0", Version(1, 0) in vs, Version(1, 5) in vs)
print(Version(3, 0) > Version(2, 9))
class NoEq:
    pass
n = NoEq()
print(n == n, n == NoEq(), n != NoEq())
