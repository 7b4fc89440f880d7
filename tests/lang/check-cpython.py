#!/usr/bin/env python3
# check-cpython.py — confirms each checked-in expectation is still what CPython prints.
# SPDX-License-Identifier: GPL-3.0-or-later
# Programs whose first line says "heapscope-only" test Heapscope's own behaviour (the
# tutorial profile, the sandbox) and are skipped.
import concurrent.futures
import glob
import os
import re
import subprocess
import sys

folder = os.path.dirname(os.path.abspath(__file__))
python = sys.argv[1] if len(sys.argv) > 1 else sys.executable


def norm(data: bytes) -> str:
    text = data.decode("utf-8", errors="replace").replace(folder + "/", "")
    return re.sub(r"0x[0-9a-f]+", "0x...", text)


def read(path: str, default: str = "") -> str:
    return open(path, encoding="utf-8").read() if os.path.exists(path) else default


def check(path: str):
    """None when the program is skipped, else (name, matches)."""
    name = os.path.basename(path)
    if name in ("run-lang-test.py", "check-cpython.py", "list-tests.py"):
        return None
    with open(path, encoding="utf-8", errors="replace") as f:
        if "heapscope-only" in f.readline():
            return None
    base = path[:-3]
    stdin = open(base + ".in", "rb").read() if os.path.exists(base + ".in") else b""
    r = subprocess.run([python, path], cwd=folder, input=stdin, capture_output=True, timeout=60)
    same = (norm(r.stdout) == read(base + ".out") and norm(r.stderr) == read(base + ".err")
            and str(r.returncode) == read(base + ".status", "0").strip())
    return name, same


# The programs are independent: run a few at once.
with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
    results = [r for r in pool.map(check, sorted(glob.glob(os.path.join(folder, "*.py"))))
               if r is not None]
checked = len(results)
failed = [name for name, same in results if not same]

print(f"checked {checked} expectations against {python}")
for name in failed:
    print(f"differs from CPython: {name}")
sys.exit(1 if failed else 0)
