d = {}
for i in range(500000):
    d[i] = i * 2
total = 0
for i in range(500000):
    total += d[i]
names = {}
for i in range(200000):
    key = "k" + str(i % 5000)
    names[key] = names.get(key, 0) + 1
print(total, len(d), len(names), names["k42"])
