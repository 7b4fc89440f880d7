x = None
print(x, x is None, x == None, type(x), repr(x), bool(x), str(x))
def f():
    pass
print(f(), f() is None)
