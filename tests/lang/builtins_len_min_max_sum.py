print(len("abc"), len([1, 2]), len({}), len(range(7)), len((1,)))
print(min(3, 1, 2), max([4, 8, 2]), min("bca"), max([1, 5], [1, 6]))
print(sum([1, 2, 3]), sum([], 10), sum([0.5, 0.25]), sum(range(101)))
print(max([], default="empty"), min([3, 1], key=lambda v: -v))
