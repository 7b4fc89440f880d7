# heapscope-args: --profile cpython
# Identity against a literal: CPython warns while compiling, before anything runs.
name = "memory"
print("start")
if name is "memory":
    print("same object (an implementation detail)")
count = 300
print(count is not 300, count == 300)
print(name is None, name is not None, name is ..., [] is [])
print(1 is -1, (1, 2) is (1, 2), name is (name,))
assert (count, "is positive")
assert ()
