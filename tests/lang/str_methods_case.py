s = "hello World"
print(s.upper(), s.lower(), s.capitalize(), s.title(), s.swapcase())
print("ABC".isupper(), "abc".islower(), "123".isdigit(), "abc".isalpha(), "a1".isalnum(), "  ".isspace())
