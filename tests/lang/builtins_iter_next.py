it = iter("ab")
print(next(it), next(it), next(it, None))
it2 = iter(range(3))
print(list(it2), list(it2))
