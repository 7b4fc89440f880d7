parts = []
for i in range(10):
    parts.append(str(i))
s = ""
for p in parts:
    s += p
print(s, "".join(parts) == s, len(s))
