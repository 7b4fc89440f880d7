print(True + True, True * 10, False - 1, True / 2)
print(True == 1, False == 0, True is True, bool(0), bool(3), bool(-1))
print(int(True), int(False), str(True), repr(False))
