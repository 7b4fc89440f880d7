def append_to(item, target=[]):
    target.append(item)
    return target
print(append_to(1))
print(append_to(2))
print(append_to(3, []))
def safe(item, target=None):
    if target is None:
        target = []
    target.append(item)
    return target
print(safe(1), safe(2))
