# Title: Function calls and the stack
# Summary: Arguments are references passed into a new frame; recursion stacks frames, up to a limit.
# Watch: frames stacking up on the left during the recursion, and the argument's refcount during a call.

import sys

def describe(items):
    #| Inside the call, the list has one more reference: the parameter `items`.
    count = sys.getrefcount(items) - 1
    return count

data = [1, 2, 3]
#? output: How many references does the list have during the call?
print(describe(data))
#| After the call returns, the frame is gone and so is its reference.
print(sys.getrefcount(data) - 1)

#| A recursive function pushes one frame per call.
def countdown(n):
    if n == 0:
        return "liftoff"
    return countdown(n - 1)

#@ call: Each call pushes one more frame on the stack.
print(countdown(5))

#| Python limits how deep the stack can grow: past the recursion limit a
#| RecursionError is raised instead of running out of memory.
def forever(n):
    return forever(n + 1)

sys.setrecursionlimit(100)
try:
    forever(0)
except RecursionError as error:
    print("RecursionError:", error)
