class Noisy:
    def __init__(self, name):
        self.name = name
        print("create", name)
    def __del__(self):
        print("free", self.name)
a = Noisy("a")
b = Noisy("b")
a = None
print("after a = None")
del b
print("after del b")
c = Noisy("c")
c = Noisy("d")
print("end of program")
