import gc
class F:
    def __init__(self, name):
        self.name = name
    def __del__(self):
        print("finalizing", self.name)
gc.collect()
x = F("x")
y = F("y")
x.peer = y
y.peer = x
del x, y
print("collected", gc.collect())
print("garbage", gc.garbage)
