for n in range(5):
    print(n, "even" if n % 2 == 0 else "odd", "big" if n > 3 else "small" if n > 1 else "tiny")
