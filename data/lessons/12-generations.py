# Title: Generations and thresholds
# Summary: New containers are counted toward a threshold of 700; past it, a generation-0 collection runs by itself.
# Watch: the three generation gauges in the GC panel, and the automatic collection.

import gc

gc.collect()
#| The collector's thresholds: generation 0 is collected when more than 700
#| container objects have been allocated (minus those freed) since the last time.
print(gc.get_threshold())

#| Each new list counts toward generation 0.
keep = []
for i in range(10):
    keep.append([i])
print(gc.get_count()[0] >= 10)

#| Lower the threshold so a collection comes soon.
gc.set_threshold(50, 10, 10)

#| Somewhere in this loop the count passes 50 and a generation-0 collection runs
#| automatically, inside an allocation. Survivors move to generation 1.
for i in range(100):
    #@ gc: An automatic collection of generation 0 ran: the count passed the threshold.
    keep.append([i])

print(gc.get_count()[0] < 50)
gc.set_threshold(700, 10, 10)
print(gc.get_threshold())
