# A raised recursion limit must still end in RecursionError, not a crash of the C stack.
import sys
sys.setrecursionlimit(1000000)

def down(n):
    return down(n + 1)

try:
    down(0)
except RecursionError:
    print("RecursionError")
except MemoryError:
    print("MemoryError")
print("alive")
