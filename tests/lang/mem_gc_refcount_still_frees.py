import gc
class Loud:
    def __del__(self):
        print("freed by refcount")
gc.disable()
x = Loud()
x = None
print("collector was disabled")
gc.enable()
