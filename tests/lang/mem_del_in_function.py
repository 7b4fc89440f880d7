class Res:
    def __del__(self):
        print("released")
def work():
    r = Res()
    print("working")
work()
print("after call")
def keep():
    return Res()
k = keep()
print("kept")
k = 0
print("done")
