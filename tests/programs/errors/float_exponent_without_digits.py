print("never printed: a syntax error stops the whole file")
x = 1.5e
