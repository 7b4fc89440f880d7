try:
    assert 1 == 2, "one is not two"
except AssertionError as e:
    print("assertion:", e)
try:
    assert False
except AssertionError as e:
    print("empty:", repr(e))
