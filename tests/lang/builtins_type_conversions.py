print(list("abc"), tuple([1, 2]), set("aab") == {"a", "b"}, dict([("k", "v")]))
print(str([1, 2]), list((1, 2)), tuple("xy"), list({"a": 1}), list(range(3)))
print(bool([]), bool([0]), bool(""), bool(" "), bool(0.0), bool({}), bool(None))
