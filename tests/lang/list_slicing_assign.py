xs = list(range(10))
xs[2:8:2] = ["a", "b", "c"]
print(xs)
del xs[::3]
print(xs)
xs[:] = []
print(xs)
ys = [1, 2, 3]
ys[1:1] = [9, 9]
print(ys, ys[-100:100], ys[5:1])
