words = ["banana", "Apple", "cherry", "date"]
print(sorted(words), sorted(words, key=len), sorted(words, key=str.lower), sorted(words, reverse=True))
pairs = [(2, "b"), (1, "z"), (2, "a"), (1, "y")]
print(sorted(pairs), sorted(pairs, key=lambda p: p[0]))
nums = [3, -1, 2, -5]
nums.sort(key=abs); print(nums)
