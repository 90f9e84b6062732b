# if / elif / else chains.
def grade(score):
    if score >= 90:
        return "A"
    elif score >= 80:
        return "B"
    elif score >= 70:
        return "C"
    else:
        return "F"


for s in [95, 85, 75, 10, 90, 80]:
    print(s, grade(s))
x = []
if x:
    print("non-empty")
elif x is not None:
    print("empty list")
if 0:
    print("never")
if "text":
    print("truthy string")
value = 7
if value > 5:
    pass
else:
    print("not reached")
print("end")
