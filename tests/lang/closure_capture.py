def make_adders():
    adders = []
    for i in range(3):
        adders.append(lambda x, i=i: x + i)
    return adders
print([f(10) for f in make_adders()])
def outer():
    x = "outer"
    def inner():
        return x
    x = "changed"
    return inner
print(outer()())
fs = [lambda: i for i in range(3)]
print([f() for f in fs])
