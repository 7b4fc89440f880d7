t = (1, "two", 3.0)
print(t, len(t), t[1], t[-1], t[:2], t + (4,), t * 2, (5,), ())
print(t.count(1), t.index("two"), 3.0 in t)
a, b, c = t
print(a, b, c)
single = 1,
print(single, type(single).__name__)
