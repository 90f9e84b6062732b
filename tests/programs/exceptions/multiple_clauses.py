# try with several except clauses; the first matching one wins.
def risky(kind):
    if kind == "zero":
        return 1 / 0
    if kind == "key":
        return {}["missing"]
    if kind == "index":
        return [][0]
    if kind == "type":
        return "a" + 1
    if kind == "value":
        return int("nope")
    return "ok"


for kind in ["zero", "key", "index", "type", "value", "none"]:
    try:
        result = risky(kind)
    except ZeroDivisionError as e:
        print(kind, "-> ZeroDivisionError:", e)
    except KeyError as e:
        print(kind, "-> KeyError:", e)
    except IndexError as e:
        print(kind, "-> IndexError:", e)
    except (TypeError, ValueError) as e:
        print(kind, "->", type(e).__name__ + ":", e)
    else:
        print(kind, "-> no exception:", result)
