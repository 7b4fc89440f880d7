def load(key):
    try:
        return {}[key]
    except KeyError as e:
        raise RuntimeError("could not load") from e
load("x")
