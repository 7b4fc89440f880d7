t = (1, 2)
try:
    t[0] = 5
except TypeError as e:
    print(e)
nested = ([1], [2])
nested[0].append(9)
print(nested)
