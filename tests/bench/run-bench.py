#!/usr/bin/env python3
# run-bench.py — times Heapscope and CPython on the same programs in the same run and
# prints the ratios (Heapscope time / CPython time: below 1.0 means Heapscope is faster).
# SPDX-License-Identifier: GPL-3.0-or-later
#
# usage: run-bench.py HEAPSCOPE PYTHON3 [--repeat N] [--subtract BASE.py] PROGRAM.py...
# A program's time is the best of N runs, both wall-clock and CPU (user + system) time:
# on a busy machine the CPU ratio is the steadier one.  With --subtract, each program's
# time has the matching BASE program's time taken off (to time one phase, e.g.
# gc.collect()).
import argparse
import math
import os
import resource
import subprocess
import sys
import time


def cpu_of_children():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def best_time(cmd, repeat):
    """(best wall seconds, best CPU seconds, stdout) over `repeat` runs."""
    best, best_cpu, out = math.inf, math.inf, None
    for _ in range(repeat):
        c0, t0 = cpu_of_children(), time.perf_counter()
        r = subprocess.run(cmd, capture_output=True, timeout=600)
        dt, dc = time.perf_counter() - t0, cpu_of_children() - c0
        if r.returncode != 0:
            sys.exit(f"{' '.join(cmd)} failed:\n{r.stderr.decode()[-2000:]}")
        best, best_cpu, out = min(best, dt), min(best_cpu, dc), r.stdout
    return best, best_cpu, out


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
    ratios, cpu_ratios = [], []
    print(f"{'program':28} {'heapscope s':>12} {'python3 s':>10} {'ratio':>7} {'cpu ratio':>10}")
    for i, prog in enumerate(a.programs):
        hs, hs_cpu, hs_out = best_time([a.heapscope, "--run", prog, "--step-limit", "0"], a.repeat)
        py, py_cpu, py_out = best_time([a.python, prog], a.repeat)
        if hs_out != py_out:
            sys.exit(f"{prog}: outputs differ: heapscope {hs_out[:200]!r} python3 {py_out[:200]!r}")
        if i < len(a.subtract):
            base_hs = best_time([a.heapscope, "--run", a.subtract[i], "--step-limit", "0"], a.repeat)
            base_py = best_time([a.python, a.subtract[i]], a.repeat)
            hs, hs_cpu = max(hs - base_hs[0], 1e-6), max(hs_cpu - base_hs[1], 1e-6)
            py, py_cpu = max(py - base_py[0], 1e-6), max(py_cpu - base_py[1], 1e-6)
        ratios.append(hs / py)
        cpu_ratios.append(max(hs_cpu, 1e-6) / max(py_cpu, 1e-6))
        print(f"{os.path.basename(prog):28} {hs:12.3f} {py:10.3f} {ratios[-1]:7.2f} {cpu_ratios[-1]:10.2f}")

    def gmean(xs):
        return math.exp(sum(math.log(x) for x in xs) / len(xs))
    print(f"{'geometric mean':28} {'':12} {'':10} {gmean(ratios):7.2f} {gmean(cpu_ratios):10.2f}")

if __name__ == "__main__":
    main()
