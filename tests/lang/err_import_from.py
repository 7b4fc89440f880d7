from nosuch_module import sqrt
