# The heap cap reached by many small allocations: MemoryError, then the memory comes back.
chunks = []
try:
    while True:
        chunks.append("x" * 1000000)
except MemoryError:
    n = len(chunks)
    chunks = None
    print("caught MemoryError after", n > 10, "chunks")
print(len("y" * 1000))
