# Baseline for bench-gc-cycles.py: the same 200,000 objects and the same stores, but
# each pair is linked one way only (b.other = None), so dropping the pairs frees them
# by refcount and no gc.collect() runs.  run-bench.py subtracts this run's time.
import gc


class Node:
    pass


gc.disable()
live = []
pairs = []
for i in range(50000):
    a = Node()
    b = Node()
    a.other = b
    b.other = None
    pairs.append(a)
    live.append(Node())
    live.append(Node())
a = None
b = None
pairs = None
print(0)
