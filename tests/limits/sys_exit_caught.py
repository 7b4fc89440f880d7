# SystemExit is an exception: except SystemExit catches it; a bare except Exception does not.
import sys
try:
    sys.exit("bye")
except SystemExit as e:
    print("caught", e.code)
try:
    try:
        sys.exit(5)
    except Exception:
        print("wrong handler")
except SystemExit as e:
    print("outer caught", e.code)
sys.exit(0)
