# @staticmethod, @classmethod and @property.
class Temperature:
    scale = "C"

    def __init__(self, celsius):
        self._celsius = celsius

    @property
    def celsius(self):
        return self._celsius

    @celsius.setter
    def celsius(self, value):
        if value < -273.15:
            raise ValueError("below absolute zero")
        self._celsius = value

    @property
    def fahrenheit(self):
        return self._celsius * 9 / 5 + 32

    @staticmethod
    def describe(value):
        return f"{value} degrees"

    @classmethod
    def from_fahrenheit(cls, f):
        return cls((f - 32) * 5 / 9)

    @classmethod
    def get_scale(cls):
        return cls.scale


t = Temperature(25)
print(t.celsius, t.fahrenheit)
t.celsius = 100
print(t.celsius, t.fahrenheit)
try:
    t.celsius = -300
except ValueError as e:
    print("ValueError:", e)
print(Temperature.describe(5), t.describe(6))
f = Temperature.from_fahrenheit(212)
print(type(f).__name__, f.celsius)
class Kelvin(Temperature):
    scale = "K"
print(Kelvin.get_scale(), type(Kelvin.from_fahrenheit(32)).__name__)
try:
    t.fahrenheit = 1
except AttributeError:
    print("AttributeError: read-only property")
