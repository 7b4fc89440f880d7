r = range(2, 20, 3)
print(r, len(r), r[0], r[-1], r[1:3], 5 in r, 6 in r, list(r))
print(range(5) == range(0, 5), r.index(8), r.count(8))
print(list(range(-5, 5, 2)), list(reversed(range(4))))
