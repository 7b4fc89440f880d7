xs = [3, 1, 4, 1, 5, 9, 2, 6]
print(xs, len(xs), xs[0], xs[-1], xs[2:5], xs[::3], xs[::-1])
xs[0] = 30
xs[1:3] = ["a", "b", "c"]
print(xs)
print(xs + [0], [0] * 3, 9 in xs, 7 in xs)
