def show(a, b, c=3, *args, d=4, **kw):
    print(a, b, c, args, d, sorted(kw.items()))
show(1, 2)
show(1, 2, 5, 6, 7, d=8, e=9)
show(b=1, a=2)
show(*[1, 2, 3, 4], **{"d": 0, "z": 1})
