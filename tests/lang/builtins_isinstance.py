print(isinstance(1, int), isinstance(1.0, int), isinstance("s", (int, str)), isinstance([], list))
print(isinstance(True, bool), isinstance(None, object), isinstance(3, (float, bool)))
