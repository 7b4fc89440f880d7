a = 1
b = [1, 2, 3, 4, 5]
del a
print("a" in dir() if False else "deleted")
del b[0]
print(b)
del b[1:3]
print(b)
c, d = 1, 2
del c, d
e = {"k": 1, "j": 2}
del e["k"]
print(e)
