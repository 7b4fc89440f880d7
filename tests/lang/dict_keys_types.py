d = {1: "int", 1.5: "float", "s": "str", (1, 2): "tuple", None: "none", True: "bool?"}
print(d)
print(d[1], d[(1, 2)], d[None])
try:
    d[[1]] = 0
except TypeError as e:
    print(e)
