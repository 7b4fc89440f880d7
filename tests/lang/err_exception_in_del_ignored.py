class Bad:
    def __del__(self):
        raise ValueError("oops in del")
b = Bad()
del b
print("program continues")
