# Title: The del statement
# Summary: del removes a name, not an object; the object goes when its last reference does.
# Watch: the name `message` disappearing from the frame, then the string's box.

message = "Hello, Zenva learners!"
#| A second name for the same object: its reference count becomes 2.
other = message

#| `del message` removes the name `message`. The string survives: `other` still
#| refers to it, so its count only drops to 1.
#? alive message: Is the string still alive after `del message`?
del message

#| Now the last reference goes, and the string is freed at once.
#? freed: Is the string freed now?
del other

print("both names are gone")
