# Title: Hunting a leak
# Summary: A global cache that only grows keeps every result alive; "why is this alive?" finds who holds it.
# Watch: select one of the results and ask "why is this alive?": the path leads to `_cache`.

import sys

_cache = {}

def expensive(n):
    #| Results are stored in a module-level dict and never removed.
    if n not in _cache:
        _cache[n] = [n] * 3
    return _cache[n]

for i in range(20):
    result = expensive(i)

#| `result` is the only name we use, yet twenty lists are alive. Select one of
#| them and ask "why is this alive?": the retainer path runs from the global
#| `_cache` through the dict to the list.
print(len(_cache))
print(sys.getrefcount(_cache[3]) - 1)

#| The fix: bound the cache, or clear it when the results are no longer needed.
_cache.clear()
print(sys.getrefcount(result) - 1)
