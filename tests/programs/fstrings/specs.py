# Format specifications inside f-strings.
t = 3.14159
n = 42
big = 1234567
x = 12.3456
s = "abc"
p = 0.256
print(f"{t:.2f}|{n:>5}|{n:05d}|{big:,}|{x:8.3f}|")
print(f"{s:<10}|{s:^9}|{s:>6}|{s:*^9}|{s:.2}|")
print(f"{x:+.1e}|{1234.5:e}|{p:.1%}|{1.0:%}|")
print(f"{n:x}|{n:X}|{n:#x}|{n:#b}|{n:o}|{n:#o}|{n:b}|")
print(f"{-n:5}|{n:<5}|{n:^7}|{n:+}|{-n:+}|{n: }|")
print(f"{big:_}|{big:,.2f}|{-big:015,}|")
print(f"{t:10.3}|{t:g}|{1e-7:g}|{1e20:g}|{t:.0f}|")
print(f"{2.5:.0f}|{3.5:.0f}|{0.125:.2f}|{1e16:.1f}|")
print(f"{True:d}|{True}|{None!s:>6}|")
print(f"{n:=+6}|{-3.5:=8.2f}|")
print(f"{s!r:>8}|{'x':3}|{7:3}|")
print(f"{12345.6789:.3g}|{0.000012345:.3g}|")
