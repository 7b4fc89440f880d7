print(list(enumerate("ab")), list(enumerate([7, 8], 10)))
print(list(zip([1, 2, 3], "ab")), list(zip()), dict(zip("xy", [1, 2])))
for i, (a, b) in enumerate(zip([1, 2], [3, 4])):
    print(i, a, b)
