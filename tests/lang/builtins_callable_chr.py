print(callable(len), callable(print), callable(1), callable(lambda: 0), callable(int))
print(chr(65) + chr(0x263a), ord("\n"))
