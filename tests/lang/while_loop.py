n = 0
total = 0
while n < 10:
    n += 1
    if n % 2:
        continue
    total += n
print(n, total)
i = 0
while True:
    i += 1
    if i > 5:
        break
print(i)
