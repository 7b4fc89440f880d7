for i in range(3):
    print(i)
for i in range(2, 10, 3):
    print(i, end=" ")
print()
for i in range(10, 0, -4):
    print(i, end=" ")
print()
print(list(range(5)), list(range(0)), list(range(5, 0, -1)), len(range(0, 100, 7)))
