# sys.exit inside try still runs the finally block; the exit code stays 4.
import sys
try:
    print("in try")
    sys.exit(4)
finally:
    print("finally runs")
