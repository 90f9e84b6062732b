# Base classes catch their subclasses: LookupError, ArithmeticError, Exception.
def check(fn):
    try:
        fn()
    except LookupError as e:
        print("LookupError caught", type(e).__name__, e)
    except ArithmeticError as e:
        print("ArithmeticError caught", type(e).__name__, e)
    except Exception as e:
        print("Exception caught", type(e).__name__, e)


check(lambda: {}["a"])
check(lambda: [1][3])
check(lambda: "abc"[10])
check(lambda: 5 // 0)
check(lambda: 2.0 % 0)
check(lambda: int("q"))
check(lambda: None.attr)
print(issubclass(KeyError, LookupError), issubclass(IndexError, LookupError))
print(issubclass(ZeroDivisionError, ArithmeticError), issubclass(OverflowError, ArithmeticError))
print(issubclass(ValueError, Exception), issubclass(Exception, BaseException))
print(issubclass(StopIteration, Exception), issubclass(KeyboardInterrupt, Exception))
print(issubclass(UnboundLocalError, NameError), issubclass(RecursionError, RuntimeError))
print(issubclass(SystemExit, Exception), issubclass(SystemExit, BaseException))
