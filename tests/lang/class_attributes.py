class Counter:
    instances = 0
    def __init__(self):
        Counter.instances += 1
        self.n = 0
a = Counter(); b = Counter()
print(Counter.instances, a.instances, b.n)
a.instances = 100
print(Counter.instances, a.instances, b.instances)
