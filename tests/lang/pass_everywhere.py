def nothing():
    pass
class Empty:
    pass
if True:
    pass
print(nothing(), type(Empty()).__name__)
