import gc
gc.collect()
gc.disable()
print(gc.isenabled())
class C:
    pass
for i in range(5):
    c = C()
    c.self_ref = c
del c
print(gc.collect())
gc.enable()
print(gc.isenabled())
