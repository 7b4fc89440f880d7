class Counter:
    def __init__(self):
        self.value = 0
    def add(self, n):
        self.value += n
        return self
    def get(self):
        return self.value
c = Counter()
for i in range(1000000):
    c.add(i & 3)
    c.get()
print(c.get())
