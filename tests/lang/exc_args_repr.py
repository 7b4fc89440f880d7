e = ValueError("a", 1)
print(e.args, str(e), repr(e))
print(repr(Exception()), str(Exception()), repr(KeyError("k")), str(KeyError("k")))
print(repr(ValueError("msg")))
