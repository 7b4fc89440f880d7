# heapscope-only: the cpython profile, where the code object holds the literal (as co_consts does)
# heapscope-args: --profile cpython
import sys

message = "Hello, Zenva learners!"
print(sys.getrefcount(message))

another_message = message
print(sys.getrefcount(message))

del another_message
print(sys.getrefcount(message))
