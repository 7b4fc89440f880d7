# Title: Reassignment
# Summary: Rebinding a name drops the old object's reference count to zero, and it is freed at once.
# Watch: the first string's badge going from 1 to 0, and the box fading out.

#| `message` refers to the first string. Its reference count is 1.
message = "Hello, Zenva learners!"

#| Now `message` is rebound to a new string. The first string loses its only
#| reference.
#? freed: Is the first string freed now, or later by the garbage collector?
#@ free: Freed at once, by reference counting: its count reached zero inside this very line.
message = "How's your learning journey?"

#| The tutorial says "the garbage collector then steps in and clears" the old
#| string. That is a common simplification. What really freed it was reference
#| counting, the moment its count reached zero. Python's garbage collector (the
#| `gc` module) only deals with containers that can form reference cycles, and it
#| does not even track strings:
import gc
print(gc.is_tracked(message))
