# A 100,000-long chain of objects freed at once: deallocation must not recurse.
class Node:
    def __init__(self, nxt):
        self.nxt = nxt

head = None
for i in range(100000):
    head = Node(head)
del head
print("chain freed")

lists = None
for i in range(100000):
    lists = [lists]
lists = None
print("nested lists freed")
