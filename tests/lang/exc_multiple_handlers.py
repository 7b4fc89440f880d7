def risky(k):
    if k == 0:
        raise ValueError("bad value")
    if k == 1:
        raise TypeError("bad type")
    if k == 2:
        raise KeyError("missing")
    return "fine"
for k in range(4):
    try:
        print(risky(k))
    except (ValueError, TypeError) as e:
        print("value/type:", type(e).__name__, e)
    except LookupError as e:
        print("lookup:", e)
