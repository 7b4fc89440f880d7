x = "outer"
result = [x for x in range(3)]
print(result, x)
n = 3
print([i * n for i in range(n)])
