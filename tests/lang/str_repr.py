print(repr("plain"), repr("it's"), repr('say "hi"'), repr("both ' and \""))
print(repr("tab\there"), repr("new\nline"), repr("back\\slash"), repr("\x00\x7f"))
print(repr("caf\u00e9"), repr(""), str("x"))
