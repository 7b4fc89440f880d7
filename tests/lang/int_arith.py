a = 17
b = 5
print(a + b, a - b, a * b, a / b, a // b, a % b, a ** 2)
print(-a // b, -a % b, a // -b, a % -b)
print(2 ** 10, 2 ** 0, (-2) ** 3, 2 ** -1)
print(abs(-7), -(-7), +7, ~7)
print(7 & 3, 7 | 8, 7 ^ 2, 1 << 10, 1024 >> 3)
