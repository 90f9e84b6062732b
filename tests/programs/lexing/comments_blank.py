#!/usr/bin/env python3
# A leading comment.


x = 1  # trailing comment

# comment between statements


def f():
    # comment as the first line of a block

    y = 2

        # over-indented comment line is fine
    return y
# comment at column 0 inside nothing


print(x, f())  # print "1 2"
s = "# not a comment"
print(s)
if True:
    pass
    # trailing comment in block

print("end")
