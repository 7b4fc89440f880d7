class N:
    def __init__(self, i):
        self.i = i
    def __del__(self):
        print("del", self.i)
items = [N(1), N(2), N(3)]
items = None
print("list dropped")
t = (N(4), N(5))
del t
print("tuple dropped")
d = {"x": N(6), "y": N(7)}
d = None
print("dict dropped")
