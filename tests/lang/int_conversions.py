print(int("42"), int("  -17  "), int("1_000"), int(3.99), int(-3.99))
print(int("ff", 16), int("0x1f", 16), int("101", 2), int("777", 8), int("z", 36))
print(str(123), repr(-5), float(3), int(float("2.5")))
