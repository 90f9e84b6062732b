# Nested format specs, '=' debugging specifier, literal braces.
x = 3.14159
w = 10
p = 3
print(f"{x:{w}.{p}f}|")
print(f"{x:>{w}}|")
print(f"{'hi':{'^'}{w}}|")
print(f"{x=}")
print(f"{x=:.2f}")
print(f"{w + p=}")
print(f"{ w = }")
name = "gil"
print(f"{name=}", f"{name=!s}")
print(f"{{x}}", f"{{{x:.1f}}}", f"}}{{")
for width in range(3, 7):
    print(f"[{'ab':>{width}}]")
print(f"{'{'}{'}'}")
