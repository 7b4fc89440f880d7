# Recursion through a dunder method (repr calling repr) is bounded too.
class Loop:
    def __repr__(self):
        return repr(self)

try:
    repr(Loop())
except RecursionError as e:
    print("RecursionError:", e)
