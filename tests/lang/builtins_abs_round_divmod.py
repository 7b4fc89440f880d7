print(abs(-3), abs(3.5), abs(-0.0), round(3.14159, 2), round(2.5), round(-2.5), divmod(17, 5), divmod(-17, 5))
print(divmod(7.5, 2), pow(2, 8), pow(2.0, 3), round(1e15 + 0.5))
