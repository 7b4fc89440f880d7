a = [1, 2]
b = [1, 2]
print(a == b, a is b)
x = None
print(x is None)
n = 256
m = 256
print(n is m, n == m)
