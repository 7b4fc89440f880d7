print("before")
answer = input("Continue? ")
print("never printed", answer)
