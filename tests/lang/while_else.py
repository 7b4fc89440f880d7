i = 0
while i < 3:
    i += 1
else:
    print("finished", i)
while i < 10:
    if i == 5:
        break
    i += 1
else:
    print("not printed")
print(i)
