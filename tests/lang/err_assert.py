x = 3
assert x > 5, "x must be bigger than 5"
