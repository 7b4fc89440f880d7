class Big:
    def __del__(self):
        print("Big freed")
def make():
    big = Big()
    def use():
        return big
    return use
f = make()
print("closure holds big:", f() is not None)
f = None
print("closure dropped")
