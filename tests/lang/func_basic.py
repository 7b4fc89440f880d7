def add(a, b):
    return a + b
def greet(name, greeting="Hello"):
    return f"{greeting}, {name}!"
print(add(2, 3), add("a", "b"))
print(greet("Ann"), greet("Bob", "Hi"), greet(greeting="Yo", name="Cy"))
