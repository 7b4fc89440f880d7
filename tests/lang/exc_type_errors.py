nothing = None
five = 5
tests = [lambda: 1 + "a", lambda: "a" + 1, lambda: len(5), lambda: five(), lambda: [] < 1, lambda: nothing[0], lambda: hash([])]
for t in tests:
    try:
        t()
    except TypeError as e:
        print(e)
