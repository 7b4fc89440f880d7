s = "héllo wörld ☃"
print(len(s), s[1], s[-1], s.upper(), s[::-1])
print(ord("é"), chr(9731), ord("A"), chr(97))
print("☃" in s, s.find("w"), s.split(" "))
