n = int("forty-two")
