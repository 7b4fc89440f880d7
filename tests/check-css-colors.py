#!/usr/bin/env python3
# check-css-colors.py — every named colour the app's style sheet uses is defined:
# by the style sheet itself, or by the theme built into the GTK it runs on.  GTK
# drops a declaration that names an undefined colour without a word.
# SPDX-License-Identifier: GPL-3.0-or-later
import re
import sys

css_path, gtk_lib = sys.argv[1], sys.argv[2]
css = open(css_path, encoding="utf-8").read()
css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
used = set(re.findall(r"@([a-z_][a-z0-9_]*)", css)) - {"define"}
defined = set(re.findall(r"@define-color\s+([a-z_][a-z0-9_]*)", css))
with open(gtk_lib, "rb") as f:
    defined |= {m.decode() for m in re.findall(rb"@define-color ([a-z_][a-z0-9_]*)", f.read())}
if len(defined) < 10:
    print(f"found only {len(defined)} colour definitions in {gtk_lib}: cannot check")
    sys.exit(1)
missing = sorted(used - defined)
if missing:
    print(f"{css_path} uses colours GTK does not define: {', '.join('@' + m for m in missing)}")
    sys.exit(1)
print(f"{len(used)} colour names used, all defined")
