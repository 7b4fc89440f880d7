print("apple" < "banana", "Apple" < "apple", "abc" == "abc", "a" != "b", "abc" < "abd", "ab" < "abc")
print(sorted(["pear", "Apple", "banana", "apple"]))
print(max("hello"), min("hello"))
