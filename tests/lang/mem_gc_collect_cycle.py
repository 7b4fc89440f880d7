import gc
class Node:
    pass
gc.collect()
a = Node()
b = Node()
a.other = b
b.other = a
del a, b
print(gc.collect())
print(gc.collect())
