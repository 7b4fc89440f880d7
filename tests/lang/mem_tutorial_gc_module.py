import gc

# Returns the number of objects it has collected and deallocated
collected = gc.collect()

print(f"Garbage collector: collected {collected} objects.")
