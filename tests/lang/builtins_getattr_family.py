class C:
    a = 1
c = C()
setattr(c, "b", 2)
print(getattr(c, "a"), getattr(c, "b"), getattr(c, "z", "default"), hasattr(c, "b"), hasattr(c, "z"))
delattr(c, "b")
print(hasattr(c, "b"))
