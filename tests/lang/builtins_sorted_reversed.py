print(sorted([3, 1, 2]), sorted("bca"), sorted({3: 0, 1: 0}), sorted([1, 2, 3], reverse=True))
print(list(reversed([1, 2, 3])), list(reversed("abc")), list(reversed((1, 2))))
