import gc
saved = None
class Phoenix:
    def __del__(self):
        global saved
        print("finalizer runs")
        saved = self
gc.collect()
p = Phoenix()
p.me = p
del p
print("first collect", gc.collect())
print(saved is not None, gc.is_finalized(saved))
saved = None
print("second collect", gc.collect())
