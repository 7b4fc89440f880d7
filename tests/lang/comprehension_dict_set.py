print({x: x * x for x in range(5)})
print({k: v for k, v in zip("abc", [1, 2, 3])})
print({x % 3 for x in range(10)})
print(sorted({c for c in "mississippi"}))
