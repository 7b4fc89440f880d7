class BadThing(Exception):
    pass
def check(v):
    if v < 0:
        raise BadThing(f"negative value: {v}")
check(5)
check(-1)
