# String literal forms and implicit concatenation.
a = 'single'
b = "double"
c = '''triple
single'''
d = """triple "double" with 'quotes'"""
print(a, b)
print(c)
print(d)
print('it\'s', "say \"hi\"", 'mixed "quotes"', "mixed 'quotes'")
e = "implicit" ' concatenation' """ of three"""
print(e)
print(len(""), len(''), repr(""))
print(repr('a'), repr("it's"), repr('say "x"'), repr('both \' and "'))
multi = """line one
    line two (indented)
line three"""
print(multi.count("\n"), multi.splitlines()[1])
print("""\
no leading newline""")
