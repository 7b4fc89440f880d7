# The heap cap: an uncaught MemoryError ends the program with a traceback, not the app.
big = [0] * 10**9
print("not reached")
