d = {"a": 1, "b": 2}
d["c"] = 3
d["a"] = 10
print(d, len(d), d["b"], "c" in d, "z" in d)
print(d.get("z"), d.get("z", 0), d.get("a"))
print(list(d.keys()), list(d.values()), list(d.items()))
del d["b"]
print(d)
