# heapscope-only: in the tutorial profile a literal's object dies as soon as its last name lets go
import sys

message = "Hello, Zenva learners!"
alias = message
print(sys.getrefcount(message))
message = "How's your learning journey?"
print(sys.getrefcount(alias))
print(sys.getrefcount(message))
