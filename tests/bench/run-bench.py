#!/usr/bin/env python3
# run-bench.py — times Heapscope and CPython on the same programs in the same run and
# prints the ratios (Heapscope time / CPython time: below 1.0 means Heapscope is faster).
# SPDX-License-Identifier: GPL-3.0-or-later
#
# usage: run-bench.py HEAPSCOPE PYTHON3 [--repeat N] [--subtract BASE.py] PROGRAM.py...
# A program's time is the best of N runs.  With --subtract, each program's time has the
# matching BASE program's time taken off (to time one phase, e.g. gc.collect()).
import argparse
import math
import os
import subprocess
import sys
import time


def best_time(cmd, repeat):
    best, out = math.inf, None
    for _ in range(repeat):
        t0 = time.perf_counter()
        r = subprocess.run(cmd, capture_output=True, timeout=600)
        dt = time.perf_counter() - t0
        if r.returncode != 0:
            sys.exit(f"{' '.join(cmd)} failed:\n{r.stderr.decode()[-2000:]}")
        best, out = min(best, dt), r.stdout
    return best, out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("heapscope")
    ap.add_argument("python")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--subtract", action="append", default=[])
    ap.add_argument("programs", nargs="+")
    a = ap.parse_args()
    # A wrapper script (pyenv's shim) would add its own start-up time to every run:
    # time the interpreter itself.
    a.python = subprocess.run([a.python, "-c", "import sys; print(sys.executable)"],
                              capture_output=True, text=True, check=True).stdout.strip() or a.python
    print(f"reference: {a.python}")
    ratios = []
    print(f"{'program':28} {'heapscope s':>12} {'python3 s':>10} {'ratio':>7}")
    for i, prog in enumerate(a.programs):
        hs, hs_out = best_time([a.heapscope, "--run", prog, "--step-limit", "0"], a.repeat)
        py, py_out = best_time([a.python, prog], a.repeat)
        if hs_out != py_out:
            sys.exit(f"{prog}: outputs differ: heapscope {hs_out[:200]!r} python3 {py_out[:200]!r}")
        if i < len(a.subtract):
            hs -= best_time([a.heapscope, "--run", a.subtract[i], "--step-limit", "0"], a.repeat)[0]
            py -= best_time([a.python, a.subtract[i]], a.repeat)[0]
            hs, py = max(hs, 1e-6), max(py, 1e-6)
        ratio = hs / py
        ratios.append(ratio)
        print(f"{os.path.basename(prog):28} {hs:12.3f} {py:10.3f} {ratio:7.2f}")
    gm = math.exp(sum(math.log(r) for r in ratios) / len(ratios))
    print(f"{'geometric mean':28} {'':12} {'':10} {gm:7.2f}")


if __name__ == "__main__":
    main()
