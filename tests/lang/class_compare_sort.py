class Item:
    def __init__(self, name, price):
        self.name, self.price = name, price
    def __lt__(self, other):
        return self.price < other.price
    def __repr__(self):
        return self.name
items = [Item("c", 3), Item("a", 1), Item("b", 2)]
print(sorted(items), min(items), max(items))
print(Item("x", 1) < Item("y", 2), Item("x", 5) > Item("y", 2))
