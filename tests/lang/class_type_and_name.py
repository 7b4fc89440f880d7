class A:
    pass
class B(A):
    pass
b = B()
print(type(b).__name__, type(b) is B, isinstance(b, A), type(A).__name__)
print(type(1).__name__, type("s").__name__, type([]).__name__, type({}).__name__, type(()).__name__)
print(type(1) is int, type(True) is bool, isinstance(True, int))
