class Bag:
    def __init__(self, *items):
        self.items = list(items)
    def __contains__(self, x):
        return x in self.items
    def __iter__(self):
        return iter(self.items)
    def __bool__(self):
        return len(self.items) > 0
b = Bag(1, 2, 3)
print(2 in b, 5 in b, [x * 10 for x in b], bool(b), bool(Bag()))
if not Bag():
    print("empty bag is falsy")
