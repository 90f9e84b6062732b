# sys.exit(n) sets the exit code; no traceback is printed.
import sys
print("exiting with 3")
sys.exit(3)
print("not reached")
