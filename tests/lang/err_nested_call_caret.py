def g(x):
    return x["key"]
print(g({"other": 1}))
