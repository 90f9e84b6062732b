# Uncaught KeyError.
ages = {"ann": 30}
print(ages["ann"])
print(ages["missing"])
