class T:
    count = 0
    @staticmethod
    def twice(x):
        return 2 * x
    @classmethod
    def make(cls):
        cls.count += 1
        return cls()
print(T.twice(4), T().twice(5))
t = T.make()
print(type(t).__name__, T.count)
