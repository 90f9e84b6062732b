# Single inheritance, method overriding and super().__init__.
class Animal:
    kingdom = "animalia"

    def __init__(self, name, sound="..."):
        self.name = name
        self.sound = sound

    def speak(self):
        return f"{self.name} says {self.sound}"

    def kind(self):
        return "animal"


class Dog(Animal):
    def __init__(self, name, tricks=()):
        super().__init__(name, "woof")
        self.tricks = list(tricks)

    def kind(self):
        return "dog, a kind of " + super().kind()


class Puppy(Dog):
    def speak(self):
        return super().speak() + " (tiny)"


a = Animal("generic")
d = Dog("rex", ["sit"])
p = Puppy("bit")
for x in (a, d, p):
    print(x.speak(), "|", x.kind(), "|", x.kingdom)
print(d.tricks, p.tricks)
print(isinstance(p, Dog), isinstance(p, Animal), isinstance(a, Dog))
print(issubclass(Puppy, Animal), issubclass(Animal, Puppy), issubclass(Dog, Dog))
print(issubclass(Dog, object), isinstance(d, object))
print(Puppy.__bases__[0].__name__, type(p).__name__)
print([c.__name__ for c in Puppy.__mro__])
