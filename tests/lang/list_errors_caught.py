xs = [1, 2]
for op in [lambda: xs[5], lambda: xs.pop(7), lambda: [].pop(), lambda: xs.remove(9), lambda: xs.index(9)]:
    try:
        op()
    except (IndexError, ValueError) as e:
        print(type(e).__name__, e)
