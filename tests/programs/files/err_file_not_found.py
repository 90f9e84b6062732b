# Uncaught FileNotFoundError from open().
print("opening a file that is not there")
with open("gilsim_missing_input.txt") as f:
    print(f.read())
