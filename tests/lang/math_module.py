# The math module: made on the first import, CPython 3.11 results and messages.
import math
from math import sqrt, pi
print(math.sqrt(16), sqrt(2), pi, math.e, math.tau, math.inf, -math.inf, math.nan)
print(math.floor(2.7), math.ceil(2.1), math.trunc(-2.7), math.floor(-0.5), math.floor(5), math.ceil(True))
print(math.pow(2, 10), math.pow(2.5, 2), math.exp(1), math.log(100, 10), math.log(8, 2), math.log(math.e))
print(math.log2(1024), math.log10(0.001), math.fabs(-3), math.hypot(3, 4), math.hypot(1, 2, 2), math.hypot())
print(math.sin(0), math.cos(math.pi), math.tan(0.5), math.atan2(1, 1), math.degrees(math.pi), math.radians(180))
print(math.factorial(0), math.factorial(10), math.factorial(20), math.isqrt(99), math.isqrt(10**18))
print(math.gcd(12, 18), math.gcd(), math.gcd(0, -4), math.gcd(12, 18, 27), math.lcm(4, 6), math.lcm(), math.lcm(3, 0))
print(math.comb(5, 2), math.comb(10, 0), math.comb(3, 5), math.perm(5, 2), math.perm(4), math.comb(60, 30))
print(math.isclose(0.1 + 0.2, 0.3), math.isclose(1, 1.1), math.isclose(1, 1.1, rel_tol=0.2), math.isclose(0, 1e-10, abs_tol=1e-9))
print(math.isnan(math.nan), math.isinf(-math.inf), math.isfinite(1.0), math.copysign(3, -0.0), math.fmod(7, 3), math.fmod(-7, 3))
print(math.expm1(1e-10), math.log1p(1e-10), math.sinh(1), math.cosh(1), math.tanh(1), math.asin(1), math.acos(1), math.atan(1))
tests = [
    ('math.sqrt(-1)', lambda: math.sqrt(-1)),
    ('math.log(0)', lambda: math.log(0)),
    ('math.log(-1)', lambda: math.log(-1)),
    ('math.factorial(-1)', lambda: math.factorial(-1)),
    ('math.factorial(2.5)', lambda: math.factorial(2.5)),
    ('math.sqrt("a")', lambda: math.sqrt("a")),
    ('math.isqrt(-1)', lambda: math.isqrt(-1)),
    ('math.exp(1000)', lambda: math.exp(1000)),
    ('math.pow(0, -1)', lambda: math.pow(0, -1)),
    ('math.floor(math.inf)', lambda: math.floor(math.inf)),
    ('math.floor(math.nan)', lambda: math.floor(math.nan)),
    ('math.sqrt()', lambda: math.sqrt()),
    ('math.pow(1)', lambda: math.pow(1)),
    ('math.log()', lambda: math.log()),
    ('math.log(1, 1)', lambda: math.log(1, 1)),
    ('math.log10(0)', lambda: math.log10(0)),
    ('math.comb(-1, 2)', lambda: math.comb(-1, 2)),
    ('math.fmod(1, 0)', lambda: math.fmod(1, 0)),
    ('math.isclose(1, 2, rel_tol=-1)', lambda: math.isclose(1, 2, rel_tol=-1)),
    ('math.acos(2)', lambda: math.acos(2)),
    ('math.gcd(1.5)', lambda: math.gcd(1.5)),
]
for text, f in tests:
    try:
        print(f())
    except Exception as e:
        print(text, type(e).__name__, e)
import math as again
print(again is math, math.__name__, type(math.sqrt).__name__)
try:
    import math.floor
except ModuleNotFoundError as e:
    print(e)
try:
    import maths
except ModuleNotFoundError as e:
    print(e)
from math import *
print(floor(-1.5), gcd(8, 12), isqrt(17))
