# Title: Containers hold references
# Summary: Lists and dicts hold references to objects, not copies; two names can share one list.
# Watch: the arrows from list slots, and the refcount of the shared objects.

import sys

point = [3, 4]
#| A list holds references in its slots. Putting `point` in `shapes` twice adds
#| two references to the same list object; nothing is copied.
shapes = [point, point]
#? refcount point: How many references point at the list now?
print(sys.getrefcount(point) - 1)

#| Aliasing: `same` is another name for the very same list.
same = point
same.append(5)
#| Changing the list through one name is visible through every reference.
print(point, shapes[0], same is point)

#| `append` of the same object twice: two slots, one object.
box = []
box.append(point)
box.append(point)
print(sys.getrefcount(point) - 1)

#| A dict holds references to its keys and its values.
registry = {"origin": point}
print(sys.getrefcount(point) - 1)

#| Clearing the containers releases their references, slot by slot.
shapes.clear()
box.clear()
del registry
print(sys.getrefcount(point) - 1)
