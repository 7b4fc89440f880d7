# Title: What gc.collect() returns
# Summary: gc.collect() returns how many unreachable objects it found; here there are none.
# Watch: the GC panel: a collection of generation 2 that finds nothing.

import gc

#| `gc.collect()` runs the cycle collector over every generation and returns the
#| number of unreachable objects it found. Every object in this program is either
#| reachable or was already freed by reference counting, so it finds nothing.
#| The number it returns is printed below.
# Returns the number of objects it has collected and deallocated
collected = gc.collect()
#| The tutorial's strings were never the collector's business: reference counting
#| frees them. The collector is for cycles, which the next lessons build.
#? output: What will this line print? How many objects did the collector report?
print(f"Garbage collector: collected {collected} objects.")
