class Stack:
    def __init__(self):
        self._items = []
    def push(self, x):
        self._items.append(x)
    def pop(self):
        return self._items.pop()
    def __len__(self):
        return len(self._items)
s = Stack()
for c in "abc":
    s.push(c)
print(len(s), s.pop(), s.pop(), len(s))
