# Title: Closures and default arguments keep objects alive
# Summary: A function keeps its default values and the variables it closes over, for as long as it lives.
# Watch: the arrows from the function objects to their defaults and cells.

class Tracked:
    def __init__(self, label):
        self.label = label
    def __del__(self):
        print("freed", self.label)

#| The default value is created once, when `def` runs, and the function object
#| holds it for as long as the function exists.
def remember(item, memory=[]):
    memory.append(item)
    return memory

#| The mutable default argument: every call shares the same list.
print(remember(1))
print(remember(2))

#| A closure keeps the variables of its enclosing function alive in a "cell".
def make_reader():
    data = Tracked("data")
    def read():
        return data.label
    return read

reader = make_reader()
#| `make_reader` has returned, but `data` lives on: the cell held by `read` refers
#| to it.
print(reader())

#| Drop the closure and the cell goes with it, and then the object.
#@ free: The closure, its cell and the object it kept alive are freed.
reader = None
print("done")
