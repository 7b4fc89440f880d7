#!/usr/bin/env python3
# run-limit-test.py — runs one tests/limits program in Heapscope and checks it against its expectation.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The scheme of tests/lang/run-lang-test.py (NAME.out, NAME.err, NAME.status; paths relative,
# "0x..." hides addresses), plus NAME.outsize: when present, stdout is checked by its length in
# bytes (and that it holds nothing but copies of its first line) instead of by NAME.out, for
# programs whose output is too big to store.  A limit that takes the machine down shows up as
# a timeout or a signal, never as a pass.
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


def main() -> int:
    # run-limit-test.py HEAPSCOPE PROGRAM.py [TIMEOUT-SECONDS]
    binary, path = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    timeout = float(sys.argv[3]) if len(sys.argv) > 3 else 120
    base, folder = path[:-3], os.path.dirname(path)
    env = dict(os.environ, HEAPSCOPE_CHECK_LEAKS="1")
    try:
        r = subprocess.run([binary, "--run", path], cwd=folder, capture_output=True,
                           timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        print(f"{os.path.basename(path)}: timed out after {timeout:.0f} s")
        return 1
    if r.returncode < 0:
        print(f"{os.path.basename(path)}: killed by signal {-r.returncode}")
        sys.stdout.write(r.stderr.decode("utf-8", errors="replace")[-4000:])
        return 1
    got = {"stderr": normalize(r.stderr, folder), "status": str(r.returncode)}
    want = {"stderr": expected(base, ".err"), "status": expected(base, ".status", "0").strip()}
    size = expected(base, ".outsize").strip()
    if size:
        out = r.stdout
        first = out.split(b"\n", 1)[0] + b"\n"
        got["stdout"] = f"{len(out)} bytes"
        want["stdout"] = f"{int(size)} bytes"
        n = len(first)
        whole = out[: len(out) - len(out) % n]
        if whole != first * (len(whole) // n) or not first.startswith(out[len(whole):]):
            got["stdout"] += " (not only copies of the first line)"
    else:
        got["stdout"] = normalize(r.stdout, folder)
        want["stdout"] = expected(base, ".out")
    ok = True
    for key in ("stdout", "stderr", "status"):
        if got[key] != want[key]:
            ok = False
            print(f"--- {key} differs (expected / heapscope):")
            for line in difflib.unified_diff(want[key][-20000:].splitlines(), got[key][-20000:].splitlines(),
                                             "expected", "heapscope", lineterm=""):
                print(line[:300])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
