a = b = c = 7
print(a, b, c)
x, y = 1, 2
x, y = y, x
print(x, y)
(p, q), r = (3, 4), 5
print(p, q, r)
first, *rest = [1, 2, 3, 4]
print(first, rest)
*init, last = "abc"
print(init, last)
h, *mid, t = range(6)
print(h, mid, t)
