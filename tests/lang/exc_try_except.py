try:
    1 / 0
except ZeroDivisionError:
    print("caught division")
try:
    [][1]
except IndexError as e:
    print("caught", e)
try:
    {}["k"]
except KeyError as e:
    print("key", e, repr(e))
try:
    int("x")
except ValueError as e:
    print(e)
