a = [1, 2]
a.append(a)
print(a, len(a), a[2] is a)
d = {}
d["self"] = d
print(d)
