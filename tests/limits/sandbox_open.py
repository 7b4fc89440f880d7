# Programs cannot reach outside the runtime: open() is not there.
try:
    open("/etc/passwd")
except NameError as e:
    print("NameError:", e)
