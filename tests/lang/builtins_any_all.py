print(any([0, "", None]), any([0, 1]), all([1, "x"]), all([1, 0]), all([]), any([]))
print(any([x > 3 for x in [1, 5]]), all([x > 0 for x in [1, 5]]))
