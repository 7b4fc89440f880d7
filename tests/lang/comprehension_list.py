print([x * x for x in range(6)])
print([x for x in range(20) if x % 3 == 0 if x % 2 == 0])
print([(x, y) for x in range(3) for y in range(x)])
print([[j for j in range(i)] for i in range(4)])
words = ["apple", "bob", "kayak"]
print([w.upper() for w in words if w == w[::-1]])
