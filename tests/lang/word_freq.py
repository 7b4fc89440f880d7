text = "a b a c b a"
freq = {}
for w in text.split():
    if w in freq:
        freq[w] += 1
    else:
        freq[w] = 1
for w in sorted(freq):
    print(w, "*" * freq[w])
