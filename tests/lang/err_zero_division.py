x = 10
y = 0
print("before")
z = x / y
print("never")
