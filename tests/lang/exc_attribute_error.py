class A:
    pass
try:
    A().missing
except AttributeError as e:
    print(e)
try:
    (5).nope
except AttributeError as e:
    print(e)
try:
    None.x
except AttributeError as e:
    print(e)
