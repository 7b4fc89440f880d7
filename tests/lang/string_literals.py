print('single', "double", '''triple
quoted''', """also
triple""")
print(r"raw\n", "adjacent" " literals", 'mix' "ed")
print("esc: \t|\\|\'|\"|\x41|\u00e9|\101")
