# Title: Controlling the garbage collector
# Summary: gc.disable() stops the cycle collector, but reference counting still frees objects.
# Watch: the GC panel's switch, and the first string being freed while the collector is off.

import gc

#| Switch the cycle collector off. Watch the switch in the GC panel.
gc.disable()
# Garbage collector is now disabled

message = "Hello, Zenva learners!"
#| The collector is disabled, yet the first string is freed right here. Reference
#| counting is not part of the collector and cannot be switched off.
#? freed: With the collector disabled, is the first string freed now?
message = "How's your learning journey?"

#| A manual collection. There is nothing for it to find: no cycles exist.
#@ gc: The collector ran a full collection (generation 2) and found nothing unreachable.
gc.collect()
# Manually clears garbage

#| Switch the collector back on.
gc.enable()
# Garbage collector is now enabled again
print(gc.isenabled())
