# Benchmark of gc.collect(): builds 200,000 objects, 50,000 two-object cycles among
# them (100,000 instances), drops the cycles and runs one full collection, which
# finds and frees them while the other 100,000 objects stay alive.
# run-bench.py times whole runs and subtracts bench-gc-cycles-nocollect.py: the same
# build with each pair linked one way only, so refcounting frees the pairs when they
# are dropped and the difference is what the collection itself costs.
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
    b.other = a
    pairs.append(a)
    live.append(Node())
    live.append(Node())
a = None
b = None
pairs = None
print(gc.collect())
