#!/usr/bin/env python3
# run-lang-test.py — runs one tests/lang program in Heapscope and compares with CPython's output.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Expected files beside NAME.py: NAME.out (stdout), NAME.err (stderr, if any), NAME.status
# (exit status, if not 0).  Paths are stored relative to this folder and "0x..." hides
# addresses.  A first-lines comment "# heapscope-args: ..." adds command-line options.
import difflib
import os
import re
import subprocess
import sys


def normalize(data: bytes, folder: str) -> str:
    text = data.decode("utf-8", errors="replace")
    text = text.replace(folder + "/", "")
    return re.sub(r"0x[0-9a-f]+", "0x...", text)


def expected(base: str, ext: str, default: str = "") -> str:
    p = base + ext
    if os.path.exists(p):
        with open(p, encoding="utf-8") as f:
            return f.read()
    return default


def extra_args(path: str) -> list:
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f.readlines()[:5]:
            m = re.match(r"#\s*heapscope-args:\s*(.*)", line)
            if m:
                return m.group(1).split()
    return []


def stdin_of(base: str) -> bytes:
    """What input() reads: NAME.in, or nothing at all."""
    p = base + ".in"
    if os.path.exists(p):
        with open(p, "rb") as f:
            return f.read()
    return b""


def main() -> int:
    # run-lang-test.py HEAPSCOPE PROGRAM.py [EXPECTED-BASE [OPTIONS...]]
    binary, path = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    base = sys.argv[3] if len(sys.argv) > 3 else path[:-3]
    options = sys.argv[4:]
    folder = os.path.dirname(path)
    env = dict(os.environ, HEAPSCOPE_CHECK_LEAKS="1")
    try:
        r = subprocess.run([binary, "--run", path] + extra_args(path) + options, cwd=folder,
                           input=stdin_of(base), capture_output=True, timeout=60, env=env)
    except subprocess.TimeoutExpired:
        print(f"{os.path.basename(path)}: timed out after 60 s")
        return 1
    got = {"stdout": normalize(r.stdout, folder), "stderr": normalize(r.stderr, folder),
           "status": str(r.returncode)}
    want = {"stdout": expected(base, ".out"), "stderr": expected(base, ".err"),
            "status": expected(base, ".status", "0").strip()}
    ok = True
    for key in ("stdout", "stderr", "status"):
        if got[key] != want[key]:
            ok = False
            print(f"--- {key} differs (expected / heapscope):")
            for line in difflib.unified_diff(want[key].splitlines(), got[key].splitlines(),
                                             "expected", "heapscope", lineterm=""):
                print(line)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
