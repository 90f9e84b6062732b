# splitlines, startswith/endswith (tuple argument), format.
text = "line one\nline two\r\nline three\n\nlast"
print(text.splitlines())
print(text.splitlines(keepends=True))
print("".splitlines(), "single".splitlines(), "trailing\n".splitlines())
name = "report_2024.csv"
print(name.startswith("report"), name.endswith(".csv"), name.endswith((".txt", ".csv")))
print(name.startswith(("data", "rep")), name.startswith("2024", 7), name.endswith("report", 0, 6))
print("".startswith(""), "abc".endswith(""), "abc".startswith("abcd"))
print("{} has {} chars".format(name, len(name)), "{:>6}|{:<6}|".format("r", "l"))
