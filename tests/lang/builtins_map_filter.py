print(list(map(str, [1, 2, 3])), list(map(lambda a, b: a + b, [1, 2], [10, 20])))
print(list(filter(None, [0, 1, "", "x", None])), list(filter(str.isdigit, ["1", "a", "22"])))
