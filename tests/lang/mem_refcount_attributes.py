import sys
class Holder:
    pass
thing = []
h = Holder()
h.a = thing
h.b = thing
print(sys.getrefcount(thing))
del h.a
print(sys.getrefcount(thing))
h = None
print(sys.getrefcount(thing))
