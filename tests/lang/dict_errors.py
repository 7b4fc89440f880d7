d = {"a": 1}
try:
    d["b"]
except KeyError as e:
    print("KeyError", e)
try:
    for k in d:
        d["new" + k] = 1
except RuntimeError as e:
    print(e)
