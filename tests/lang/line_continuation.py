total = 1 + \
        2 + \
        3
items = [
    1,
    2,
    3,
]
d = {"a": 1,
     "b": 2}
print(total, items, d, (1 +
      2))
