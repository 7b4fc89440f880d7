def total(*nums):
    return sum(nums), len(nums), nums
print(total(), total(1), total(1, 2, 3))
def head(first, *rest):
    return first, rest
print(head(1, 2, 3), head("only"))
args = [4, 5, 6]
print(total(*args), total(0, *args))
