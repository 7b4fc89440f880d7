# input(): the prompt goes to stdout, the line comes back without its newline.
name = input("Your name: ")
print("Hello,", name)
age = int(input("Age? "))
print("Next year you will be", age + 1)
words = input().split()
print(len(words), "words:", words)
print(repr(input("empty line: ")))
try:
    input("one more: ")
except EOFError as e:
    print("no more input:", e)
print(input("") if False else "done")
