# heapscope-only: programs cannot reach outside the runtime; only gc and sys can be imported
import os
print(os.getcwd())
