# import several modules in one statement.
import os, sys, time, random
print(os.__name__, sys.__name__, time.__name__, random.__name__)
print(callable(time.time), callable(random.random), callable(os.getpid))
import sys as system, math
print(system is sys, math.floor(-0.5))
