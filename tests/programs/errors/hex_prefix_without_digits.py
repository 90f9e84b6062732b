print("never printed")
x = 0x
