# Comparing two lists nested 100,000 deep recurses in C in CPython: bounded by RecursionError.
a = []
b = []
for i in range(100000):
    a = [a]
    b = [b]
try:
    print(a == b)
except RecursionError as e:
    print("RecursionError:", e)
