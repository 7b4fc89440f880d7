import gc
print(gc.is_tracked(0), gc.is_tracked("a"), gc.is_tracked({}), gc.is_tracked([]))
print(gc.is_tracked({"a": 1}), gc.is_tracked({"a": []}))
class C:
    pass
print(gc.is_tracked(C()), gc.is_tracked(None), gc.is_tracked(1.5))
d = {}
print(gc.is_tracked(d))
d["k"] = []
print(gc.is_tracked(d))
