xs = [5, 2, 9, 1, 5, 6]
n = len(xs)
for i in range(n):
    for j in range(n - 1 - i):
        if xs[j] > xs[j + 1]:
            xs[j], xs[j + 1] = xs[j + 1], xs[j]
print(xs)
