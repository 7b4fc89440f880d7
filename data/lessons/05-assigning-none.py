# Title: Assigning None
# Summary: Binding a name to None releases the object it referred to.
# Watch: the arrow from `message` moving to the shared None object.

message = "Hello, Zenva learners!"

#| `None` is a single object shared by the whole program (a "cached" object: it is
#| never freed, so it shows a "cached" badge instead of a count). Rebinding
#| `message` to it drops the string's last reference.
#? freed: Is the string freed now?
message = None

print(message)
