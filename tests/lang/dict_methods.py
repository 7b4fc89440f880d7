d = {"x": 1}
print(d.setdefault("y", 2), d.setdefault("x", 9), d)
d.update({"z": 3}, w=4); print(d)
d.update([("v", 5)]); print(d)
print(d.pop("x"), d.pop("nope", "dflt"), d)
print(d.popitem(), d)
e = d.copy(); e.clear(); print(d, e)
print(dict.fromkeys("ab", 0), dict(a=1, b=2), dict([(1, 2)]))
