import gc
gc.collect()
l = []
l.append(l)
del l
print(gc.collect())
d = {}
d["me"] = d
del d
print(gc.collect())
class O:
    pass
o = O()
o.me = o
del o
print(gc.collect())
