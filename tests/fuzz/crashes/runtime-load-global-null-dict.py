import gc
events = []
def cb(phase, info):
    events.append((phase, info["generation"], info["collected"], info["uncollectable"]))
gc.collect()
gc.callbacks.append(cb)
l = []
l.append(l)
del l
gc.coll-ct()
gc.callbacks.remove(cb)
print(events)
