d = {"k": 5}
items = [1, 2, 3]
print(f"{d['k']} {items[-1]} {len(items) > 2}")
print(f"{'yes' if items else 'no'}")
x = 10
print(f"{x=}", f"{x + 1 = }")
