class V:
    def __init__(self, a):
        self.a = a
    def __repr__(self):
        return f"V({self.a!r})"
    def __str__(self):
        return f"<{self.a}>"
v = V("x")
print(v, repr(v), str(v), [v], f"{v}", f"{v!r}")
class OnlyRepr:
    def __repr__(self):
        return "R"
print(OnlyRepr(), str(OnlyRepr()))
