# Title: Heap memory
# Summary: Every Python value is an object stored on the heap.
# Watch: the new box on the right, and the arrow from the name `string` to it.

#| Python keeps every value as an object on the heap. Watch the right-hand side
#| of the picture as this line runs: a `str` object appears there.
#|
#| The name `string` lives in the module's namespace (the "global" frame on the
#| left). It does not contain the text; it holds a reference to the object, drawn
#| as an arrow.
string = "Hello, Zenva learners!"

#| The badge on the string's box is its reference count: how many references
#| point at it. Right now there is exactly one, from `string`.
print(string)
