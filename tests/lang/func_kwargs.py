def info(name, **extra):
    return name, sorted(extra.items())
print(info("x"), info("y", a=1, b=2))
def kwonly(a, *, flag=False):
    return a, flag
print(kwonly(1), kwonly(2, flag=True))
opts = {"flag": True}
print(kwonly(3, **opts))
