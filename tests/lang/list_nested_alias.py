row = [0] * 3
grid = [row] * 3
grid[0][0] = 1
print(grid)
grid2 = [[0] * 3 for _ in range(3)]
grid2[0][0] = 1
print(grid2)
a = [1, 2]
b = a
b.append(3)
print(a, a is b, a == [1, 2, 3], a is [1, 2, 3])
