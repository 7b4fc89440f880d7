def square(x):
    return x * x
def apply(f, v):
    return f(v)
fs = [square, abs, str]
print([apply(f, -3) for f in fs])
print(square.__name__, type(square))
alias = square
print(alias(5), alias is square)
