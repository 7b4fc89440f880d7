a = [1]
first = id(a)
a.append(2)
print(id(a) == first)
b = a
print(id(b) == id(a))
