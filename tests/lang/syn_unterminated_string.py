s = "no end
