#!/usr/bin/env python3
# check-render.py — `heapscope --render` draws a program's heap at a step, without a display.
# SPDX-License-Identifier: GPL-3.0-or-later
import os
import subprocess
import sys
import tempfile

binary = sys.argv[1]
program = "x = [1, 2, 3]\ny = {'k': x}\nz = (x, y)\n"
failures = []

with tempfile.TemporaryDirectory() as tmp:
    src = os.path.join(tmp, "prog.py")
    with open(src, "w") as f:
        f.write(program)
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}

    sizes = {}
    for ext, magic in ((".png", b"\x89PNG"), (".svg", b"<?xml"), (".pdf", b"%PDF")):
        out = os.path.join(tmp, "heap" + ext)
        r = subprocess.run([binary, "--render", src, "--step", "3", "-o", out],
                           capture_output=True, env=env, timeout=60)
        if r.returncode != 0 or not os.path.exists(out):
            failures.append(f"{ext}: exit {r.returncode}: {r.stderr.decode()[-300:]}")
            continue
        with open(out, "rb") as f:
            data = f.read()
        if not data.startswith(magic) or len(data) < 1000:
            failures.append(f"{ext}: not a real {ext} file ({len(data)} bytes)")
        sizes[ext] = len(data)

    # Before the first line ran only the global frame is drawn; by step 3 the list and
    # the dict are there: the SVG (text) grows.
    early = os.path.join(tmp, "early.svg")
    subprocess.run([binary, "--render", src, "--step", "1", "-o", early], env=env, timeout=60)
    if os.path.exists(early) and ".svg" in sizes and os.path.getsize(early) >= sizes[".svg"]:
        failures.append("step 1 drew as much as step 3")

    r = subprocess.run([binary, "--render", src, "--step", "99", "-o", os.path.join(tmp, "x.png")],
                       capture_output=True, env=env, timeout=60)
    if r.returncode != 2 or b"out of range" not in r.stderr:
        failures.append(f"a step past the end should say so: exit {r.returncode} {r.stderr!r}")
    r = subprocess.run([binary, "--render", src, "-o", os.path.join(tmp, "x.bmp")],
                       capture_output=True, env=env, timeout=60)
    if r.returncode != 2:
        failures.append(f"an unknown format should fail with 2, got {r.returncode}")

for f in failures:
    print(f)
sys.exit(1 if failures else 0)
