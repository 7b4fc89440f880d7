print({10, 100, 1000, 5, 7, 3})
print({33, 1, 65, 17, 9})
s = set()
for i in range(20, 0, -3):
    s.add(i)
print(s)
print(set(range(10)), {-1, -2, 0})
