def inner():
    raise RuntimeError("deep")
def outer():
    try:
        inner()
    except RuntimeError:
        print("logging and re-raising")
        raise
try:
    outer()
except RuntimeError as e:
    print("outer caught", e)
