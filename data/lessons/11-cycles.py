# Title: Reference cycles
# Summary: Objects that refer to each other keep their counts above zero; only the cycle collector frees them.
# Watch: the two boxes turning into dashed "garbage" after `del`, then the collection freeing them.

import gc

class Node:
    pass

gc.collect()

a = Node()
b = Node()
#| `a` refers to `b` and `b` refers to `a`: a reference cycle.
a.partner = b
b.partner = a

#| Deleting the names removes two references, but each object still refers to the
#| other, so both counts stay at 1. Reference counting cannot free them: they are
#| unreachable garbage, drawn dashed.
#? freed: Are the two nodes freed now, or later?
del a, b

#| The cycle collector finds objects that only refer to each other and frees them.
#| It returns 2: the two nodes (an instance counts as one object).
#@ free-gc: Freed by the garbage collector, not by reference counting.
#? output: What will gc.collect() return?
print(gc.collect())
