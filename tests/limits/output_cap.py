# The output cap: printing more than 16 MiB stops the program with a clear message.
line = "x" * 1023
for i in range(20000):
    print(line)
print("not reached")
