def minmax(items):
    return min(items), max(items)
lo, hi = minmax([3, 1, 4, 1, 5])
print(lo, hi, minmax("hello"))
def nothing():
    return
print(nothing())
