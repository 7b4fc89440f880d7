# comment only line

x = 1  # trailing comment
   # indented comment

if x:
    # inside block
    print("yes")   # another
