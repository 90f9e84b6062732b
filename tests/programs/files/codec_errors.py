# Decoding and encoding errors in text files, and the error handlers.
import os

name = os.path.join(os.path.dirname(__file__), "tmp_codec_errors_%d.txt" % os.getpid())
with open(name, "wb") as f:
    f.write(b"ok\n\xff\xfeend\xc3")

for errors in ["strict", "replace", "ignore", "backslashreplace"]:
    try:
        with open(name, errors=errors) as f:
            print(errors, repr(f.read()))
    except UnicodeDecodeError as e:
        print(errors, type(e).__name__, e, e.start, e.end, e.reason)

try:
    with open(name, encoding="ascii") as f:
        f.readline()
except UnicodeError as e:
    print(type(e).__name__, e)

for text in ["caf\xe9", "\u20ac uro", "emoji \U0001f600!"]:
    for enc in ["ascii", "latin-1"]:
        try:
            with open(name, "w", encoding=enc) as f:
                f.write(text)
            print(enc, "ok", open(name, "rb").read())
        except UnicodeEncodeError as e:
            print(enc, e)
with open(name, "w", encoding="ascii", errors="xmlcharrefreplace") as f:
    f.write("caf\xe9 \u20ac")
with open(name, "a", encoding="ascii", errors="backslashreplace") as f:
    f.write(" caf\xe9 \u20ac \U0001f600")
with open(name, "a", encoding="ascii", errors="ignore") as f:
    f.write(" caf\xe9!")
print(open(name).read())
os.remove(name)
