parts = []
s = ""
for i in range(200000):
    s += str(i % 10)
    if len(s) > 1000:
        parts.append(s)
        s = ""
joined = "-".join(parts)
words = joined.split("-")
print(len(joined), len(words), joined.count("123"), f"{len(parts):>8}".strip())
