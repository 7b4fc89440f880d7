import sys
obj = object()
d = {"k": obj}
t = (obj, obj)
print(sys.getrefcount(obj))
d.clear()
print(sys.getrefcount(obj))
del t
print(sys.getrefcount(obj))
