print("a b  c".split(), "a,b,,c".split(","), "a,b,c".split(",", 1))
print("one two three".rsplit(" ", 1), "line1\nline2\r\nline3".splitlines())
print("-".join(["x", "y", "z"]), "".join(["a", "b"]), ", ".join("abc"))
print("key=value=x".partition("="), "key=value=x".rpartition("="))
