class P:
    pass
a = P(); b = P()
print(a == a, a == b, a != b, a is not b)
print(str(a).startswith("<__main__.P object at "))
