# A list nested 100,000 deep: printing it must not overflow the C stack.
x = []
for i in range(100000):
    x = [x]
try:
    print(x)
except RecursionError as e:
    print("RecursionError:", e)
print(len(x))
