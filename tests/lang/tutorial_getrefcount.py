# heapscope-only: the tutorial profile's refcounts (DESIGN.md); CPython prints 3, 4, 3 when imported
import sys

message = "Hello, Zenva learners!"
print(sys.getrefcount(message))  # Outputs: 2

another_message = message
print(sys.getrefcount(message))  # Outputs: 3

del another_message
print(sys.getrefcount(message))  # Outputs: 2
