# Unicode: lengths and indexing count code points, not bytes.
s = "héllo"
print(s, len(s), len(s.encode("utf-8")))
print(s[1], s.upper(), s[::-1])
e = "naïve café"
print(len(e), e.title(), e.split())
emoji = "ab😀cd"
print(len(emoji), emoji[2] == "😀", emoji[3:])
print(ord("é"), chr(233), ord("😀"), chr(0x1F600) == "😀")
greek = "αβγ"
print(greek.upper(), len(greek), "β" in greek)
print("ß".upper(), "İ".lower() == "i̇")
cjk = "日本語"
print(cjk, len(cjk), cjk[1])
print(sorted("cbaé"))
