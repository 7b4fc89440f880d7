assert True
assert 1 + 1 == 2, "math works"
x = [1]
assert x, "non-empty"
print("all asserts passed")
