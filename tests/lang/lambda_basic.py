inc = lambda x: x + 1
add = lambda a, b=10: a + b
print(inc(1), add(1), add(1, 2), (lambda: "none")())
pairs = [(1, "b"), (3, "a"), (2, "c")]
print(sorted(pairs, key=lambda p: p[1]))
print(list(map(lambda x: x * 2, [1, 2, 3])), list(filter(lambda x: x % 2, range(7))))
