a = {1, 2, 3}
b = {3, 4}
print(a.union(b), a.intersection(b), a.difference(b), a.symmetric_difference(b))
print(a.issubset({1, 2, 3, 4}), a.issuperset({1}), a.isdisjoint({9}))
c = a.copy(); c.update([7, 8]); print(c)
print(frozenset([1, 2]), frozenset([2, 1]) == frozenset([1, 2]))
try:
    set().pop()
except KeyError as e:
    print("KeyError", e)
