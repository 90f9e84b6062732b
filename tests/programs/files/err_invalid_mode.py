# Uncaught ValueError for a mode with an unknown character.
modes = ["r", "rb", "w+", "xt"]
print("valid modes:", modes)
open("whatever.txt", "rq")
