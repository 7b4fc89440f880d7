s = "Hello, World"
print(len(s), s[0], s[-1], s[7:], s[:5], s[::2], s[::-1])
print(s + "!", s * 2, "-" * 10, 3 * "ab")
print("World" in s, "world" in s, "x" not in s)
