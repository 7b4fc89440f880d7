count = 5
message = "count: " + count
