import gc
t = (1, 2)
print(gc.is_tracked(t))
gc.collect()
print(gc.is_tracked(t))
u = ([],)
gc.collect()
print(gc.is_tracked(u))
