s = {3, 1, 2}
s.add(4); s.add(1)
print(s, len(s), 2 in s, 9 in s)
s.discard(9); s.remove(3)
print(s)
print({1, 2, 3} | {3, 4}, {1, 2, 3} & {2, 3, 4}, {1, 2, 3} - {2}, {1, 2} ^ {2, 3})
print(set(), set([1, 1, 2]), {1, 2} <= {1, 2, 3}, {1, 2} < {1, 2})
