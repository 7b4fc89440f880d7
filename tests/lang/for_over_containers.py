for ch in "abc":
    print(ch)
for item in [10, 20]:
    print(item)
for k in {"x": 1, "y": 2}:
    print(k)
for a, b in [(1, 2), (3, 4)]:
    print(a + b)
for i, v in enumerate(["p", "q"], start=1):
    print(i, v)
