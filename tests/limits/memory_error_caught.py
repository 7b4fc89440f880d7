# The heap cap: a huge allocation raises MemoryError inside the program, which can catch it.
try:
    x = [0] * 10**9
except MemoryError:
    print("caught MemoryError")
print("still running")
