print(hash(1), hash(-1), hash(0), hash(True), hash(2 ** 61), hash(1.0), hash(1.5), hash((1, 2)), hash(()))
print(hash("abc") == hash("abc"), hash(3) == hash(3.0))
