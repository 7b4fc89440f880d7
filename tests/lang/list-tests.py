#!/usr/bin/env python3
# list-tests.py — prints the corpus programs, one per line, for meson.
# SPDX-License-Identifier: GPL-3.0-or-later
import glob
import os

folder = os.path.dirname(os.path.abspath(__file__))
for path in sorted(glob.glob(os.path.join(folder, "*.py"))):
    name = os.path.basename(path)
    if name not in ("run-lang-test.py", "check-cpython.py", "list-tests.py"):
        print(name[:-3])
