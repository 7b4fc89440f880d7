from gc import collect, isenabled
from sys import getrefcount as grc
print(collect(), isenabled())
x = []
print(grc(x))
import gc as g
print(g.isenabled())
