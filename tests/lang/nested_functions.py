def outer(n):
    def double(v):
        return v * 2
    def triple(v):
        return v * 3
    return double(n) + triple(n)
print(outer(5))
