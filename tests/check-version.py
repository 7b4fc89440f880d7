#!/usr/bin/env python3
# check-version.py — `heapscope --version` prints the version meson was given.
# SPDX-License-Identifier: GPL-3.0-or-later
import subprocess
import sys

binary, expected = sys.argv[1], sys.argv[2]
out = subprocess.run([binary, "--version"], capture_output=True, text=True, check=True).stdout
if out.strip() != f"heapscope {expected}":
    print(f"expected 'heapscope {expected}', got {out!r}")
    sys.exit(1)
