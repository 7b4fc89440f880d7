print(True and False, True or False, not True, not 0, not "")
print(1 and 2, 0 and 2, 1 or 2, 0 or 2, None or "default", "" or 0 or [] or "last")
print([] and 1, [1] and "yes")
