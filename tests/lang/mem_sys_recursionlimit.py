import sys
print(sys.getrecursionlimit())
sys.setrecursionlimit(500)
print(sys.getrecursionlimit())
def down(n):
    return 0 if n == 0 else 1 + down(n - 1)
print(down(400))
try:
    down(10000)
except RecursionError as e:
    print("RecursionError:", e)
