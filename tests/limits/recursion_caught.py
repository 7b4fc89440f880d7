# Deep recursion raises RecursionError (never a C stack overflow), and can be caught.
def down(n):
    return down(n + 1)

try:
    down(0)
except RecursionError as e:
    print("RecursionError:", e)
print("after")
