# Title: Stack memory
# Summary: A function call pushes a frame that holds its local variables; returning pops it.
# Watch: the frame column on the left: a `greet` frame appears, then goes away.

#| `def` creates a function object on the heap and binds it to the name `greet`.
#| Nothing inside the function runs yet.
def greet():
    #| We are inside the call now. A new frame sits on top of the stack; its local
    #| variable `message` will refer to a new string.
    message = "Hello, Zenva learners!"
    #| `message` is a local name: it exists only in this frame.
    print(message)

#| Calling `greet()` pushes a frame for it on the stack.
#? freed: When greet() returns, is its string freed at once, or later?
#@ call: A new stack frame for `greet` was pushed.
#@ return: The frame is popped. Its local `message` goes with it, and the string it referred to has no references left, so it is freed at once.
greet()

print("back in the module")
