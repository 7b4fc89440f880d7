scores = {"ann": 90, "bob": 72, "cy": 85}
for name, s in scores.items():
    print(name, s)
print(sorted(scores, key=scores.get), max(scores, key=lambda k: scores[k]))
print({v: k for k, v in scores.items()})
