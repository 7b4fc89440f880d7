# Title: Finalizers: __del__
# Summary: __del__ runs when an object is freed; in a cycle the collector runs it, once, and an object can even come back.
# Watch: the "finalized" mark, and the resurrected object surviving the first collection.

import gc

class Resource:
    def __init__(self, name):
        self.name = name
    def __del__(self):
        print("finalizing", self.name)

#| With no cycle, `__del__` runs the moment the reference count reaches zero.
r = Resource("file")
#@ free: The refcount reached zero, so __del__ ran right away, and then the object was freed.
r = None

#| In a cycle, the counts never reach zero; the collector finds the cycle, runs
#| each `__del__` once, then frees both.
x = Resource("x")
y = Resource("y")
x.other = y
y.other = x
del x, y
print("collected", gc.collect())

#| A finalizer can resurrect its object by storing `self` somewhere reachable.
saved = None

class Phoenix:
    def __del__(self):
        global saved
        saved = self
        print("phoenix finalizer")

p = Phoenix()
p.me = p
del p
#| The collector runs the finalizer, notices the object is reachable again, and
#| lets it live. It is marked finalized, so `__del__` never runs again.
print("first collect", gc.collect())
print(gc.is_finalized(saved))
saved = None
#? output: What will this line print? How many objects does the second collection free?
print("second collect", gc.collect())
