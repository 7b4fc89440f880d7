try:
    undefined_name
except:
    print("bare except caught it")
try:
    raise Exception("general")
except Exception as e:
    print(e)
