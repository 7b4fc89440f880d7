print(0.1 + 0.2 == 0.3, 1.0 == 1, 2.5 > 2, float("nan") == float("nan"))
print(max(1, 2.5, 2), min(-1, -1.5), abs(-2.5))
print((0.1).is_integer(), (2.0).is_integer())
