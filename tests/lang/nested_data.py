people = [{"name": "Ann", "tags": ["a", "b"]}, {"name": "Bob", "tags": []}]
for p in people:
    print(p["name"], len(p["tags"]), p.get("age", "?"))
people[1]["tags"].append("new")
print(people)
