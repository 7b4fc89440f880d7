class Adder:
    def __init__(self, n):
        self.n = n
    def __call__(self, x):
        return x + self.n
    def __hash__(self):
        return hash(self.n)
    def __eq__(self, other):
        return isinstance(other, Adder) and self.n == other.n
add5 = Adder(5)
print(add5(10), callable(add5), callable(5))
s = {Adder(1), Adder(1), Adder(2)}
print(len(s))
