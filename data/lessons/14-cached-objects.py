# Title: Cached objects: is versus ==
# Summary: None, True, False and small ints are shared objects; == compares values, is compares identity.
# Watch: the "cached" badges: these objects are never freed.
# Profile: cpython

#| `==` asks "equal values?"; `is` asks "the very same object?".
a = [1, 2]
b = [1, 2]
print(a == b, a is b)

#| Small integers from -5 to 256 are created once and shared by the whole
#| program, so two names for 256 refer to the same object.
x = 256
y = 256
print(x is y)

#| `None`, `True` and `False` are single objects too. That is why `x is None` is
#| the right test for None.
nothing = None
print(nothing is None, (1 < 2) is True)

#| Larger numbers are ordinary objects: computing the same value twice gives two
#| different objects. Never rely on `is` for numbers or strings.
big = 1000
other = big + 0
print(big == other, big is other)
