# A ring of 1,000,000 lists, unreachable at once: gc.collect() frees them all.
import gc
gc.disable()
first = [None]
node = first
for i in range(999999):
    new = [None]
    node[0] = new
    node = new
node[0] = first
del first, node, new
print(gc.collect())
