import sys
data = [1, 2]
def show(x):
    return sys.getrefcount(x)
print(show(data))
def nested(x):
    y = x
    return sys.getrefcount(x)
print(nested(data))
print(sys.getrefcount(data))
