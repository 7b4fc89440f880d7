# The step limit: a loop that never ends stops with a clear message.
print("looping")
while True:
    pass
