for c in "Az09 ~":
    print(c, ord(c))
print("".join([chr(x) for x in [72, 105]]))
