xs = [5, 3]
xs.append(7); xs.insert(0, 1); xs.extend([2, 2]); print(xs)
print(xs.pop(), xs.pop(0), xs); xs.remove(2); print(xs)
print(xs.index(7), xs.count(3)); xs.reverse(); print(xs)
ys = xs.copy(); ys.clear(); print(xs, ys)
xs.sort(); print(xs); xs.sort(reverse=True); print(xs)
