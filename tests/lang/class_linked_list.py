class Node:
    def __init__(self, value, next=None):
        self.value = value
        self.next = next
head = None
for v in range(5):
    head = Node(v, head)
node = head
out = []
while node is not None:
    out.append(node.value)
    node = node.next
print(out)
