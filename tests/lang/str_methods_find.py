s = "the cat sat on the mat"
print(s.find("at"), s.rfind("at"), s.find("dog"), s.index("sat"), s.count("at"), s.count("the"))
print(s.startswith("the"), s.endswith("mat"), s.startswith(("a", "t")), s.endswith("x"))
print(s.replace("at", "og"), s.replace("the", "a", 1))
