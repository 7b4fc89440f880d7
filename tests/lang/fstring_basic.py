name = "learner"
count = 3
print(f"Hello, {name}!")
print(f"{count} + 1 = {count + 1}")
print(f"{name!r} {name.upper()} {len(name)}")
print(f"{{braces}} {count * 2}")
collected = 0
print(f"Garbage collector: collected {collected} objects.")
