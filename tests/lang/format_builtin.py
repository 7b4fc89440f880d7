print(format(3.5, ".3f"), format(42, "5"), format("s", "<3") + "|", format(1e20, "g"), format(12345.678, ",.1f"))
print(format(True), format(None), format(7, ""), format(0.0001, "g"), format(123456789, "e"))
