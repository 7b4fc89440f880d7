import gc

gc.disable()
# Garbage collector is now disabled

message = "Hello, Zenva learners!"
message = "How's your learning journey?"

gc.collect()
# Manually clears garbage

gc.enable()
# Garbage collector is now enabled again
print(message)
