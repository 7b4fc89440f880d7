# sys.exit inside try/finally: the finally block runs, then the program (not the app) ends.
import sys
try:
    print("exiting")
    sys.exit(3)
finally:
    print("finally runs")
print("not reached")
