# Title: Counting references with sys.getrefcount
# Summary: getrefcount reports one more than you might expect: its own argument is a reference too.
# Watch: the faint "temporary" arrow from the call to the string while getrefcount runs.

import sys

message = "Hello, Zenva learners!"
#| `message` is the only name for the string, yet this prints 2. Passing the
#| string to `getrefcount` creates a temporary reference (the faint arrow) that
#| lasts for the call, and the count includes it.
#|
#| Switch the profile to "cpython" and this prints 3: CPython's compiled code keeps
#| the literal as a constant, one more reference. Run the file as a script with
#| `python3` and you may even see 4, because the script's code object is still held
#| while the module runs.
#? output: What will sys.getrefcount print now?
print(sys.getrefcount(message))  # Outputs: 2

another_message = message
#? output: And after a second name refers to it?
print(sys.getrefcount(message))  # Outputs: 3

del another_message
#? output: And after `del another_message`?
print(sys.getrefcount(message))  # Outputs: 2
