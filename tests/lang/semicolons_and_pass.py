a = 1; b = 2; c = a + b
if c == 3: print("three")
while False: pass
for i in range(2): pass
print(i)
