d = {}
for k in ["one", "two", "three"]:
    d[k] = len(k)
del d["two"]
d["two"] = 2
print(d)
ks = d.keys()
d["four"] = 4
print(ks, len(ks), "four" in ks)
print(d.values(), d.items())
