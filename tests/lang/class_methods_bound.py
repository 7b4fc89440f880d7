class C:
    def __init__(self, v):
        self.v = v
    def get(self):
        return self.v
c = C(7)
m = c.get
print(m(), C.get(c), type(m).__name__, m.__self__ is c)
