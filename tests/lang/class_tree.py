class Tree:
    def __init__(self, left, right):
        self.left = left
        self.right = right
    def count(self):
        n = 1
        if self.left:
            n += self.left.count()
        if self.right:
            n += self.right.count()
        return n
def build(d):
    if d == 0:
        return Tree(None, None)
    return Tree(build(d - 1), build(d - 1))
print(build(6).count())
