import sys
print(sys.getsizeof(1), sys.getsizeof(0), sys.getsizeof(1.5), sys.getsizeof(True))
print(sys.getsizeof(""), sys.getsizeof("abc"), sys.getsizeof(()), sys.getsizeof((1, 2)))
print(sys.getsizeof([]), sys.getsizeof([1, 2, 3]), sys.getsizeof({}), sys.getsizeof(set()))
class Plain:
    pass
class WithAttributes:
    def __init__(self):
        self.x = 1
        self.y = [2]
print(sys.getsizeof(Plain()), sys.getsizeof(WithAttributes()))
