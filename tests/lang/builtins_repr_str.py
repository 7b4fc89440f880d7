print(repr([1, "a", None]), str([1, "a"]), repr((1,)), repr({"k": [1]}), repr({1}), repr(set()))
print(repr(1.0), repr(True), repr(None), str(3.0), repr("a\nb"))
