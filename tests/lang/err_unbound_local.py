total = 0
def add():
    total += 1
add()
