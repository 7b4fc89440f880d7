total = 0
for i in range(1, 11):
    total += i * i
print(total, total / 10, total // 7, total % 7)
avg = sum([1, 2, 3, 4]) / 4
print(avg, type(avg), type(total), type(True), type(None))
