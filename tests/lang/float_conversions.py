print(float("1.5"), float("  -2.25 "), float("1e3"), float("inf"), float("-inf"), float("nan"))
print(float(7), int(7.9), round(2.5), round(3.5), round(2.675, 2), round(-1.5))
print(round(1234.5678, -2), round(7), round(7.0), round(0.5), round(1.5))
