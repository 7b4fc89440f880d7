import gc
a = [1, "x"]
b = [a]
print(a in gc.get_referents(b), len(gc.get_referents(b)))
print(b in gc.get_referrers(a))
