# raise SystemExit("msg") prints the message to stderr and exits with 1.
print("before exit")
raise SystemExit("fatal: configuration missing")
