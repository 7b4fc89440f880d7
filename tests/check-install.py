#!/usr/bin/env python3
# check-install.py — `meson install` into a fresh prefix gives a working app: the binary,
# the lessons, the desktop file, the metainfo, the icons and the schema.
# SPDX-License-Identifier: GPL-3.0-or-later
import os
import subprocess
import sys
import tempfile

meson, builddir, prefix, datadir = sys.argv[1:5]
failures = []

with tempfile.TemporaryDirectory() as dest:
    r = subprocess.run([meson, "install", "-C", builddir, "--no-rebuild", "--quiet", "--destdir", dest],
                       capture_output=True, timeout=300)
    if r.returncode != 0:
        print(r.stdout.decode()[-2000:], r.stderr.decode()[-2000:])
        sys.exit(1)
    root = dest + prefix
    share = os.path.join(dest + prefix, datadir) if not os.path.isabs(datadir) else dest + datadir
    expected = [
        os.path.join(root, "bin", "heapscope"),
        os.path.join(share, "applications", "org.heapscope.Heapscope.desktop"),
        os.path.join(share, "metainfo", "org.heapscope.Heapscope.metainfo.xml"),
        os.path.join(share, "icons", "hicolor", "scalable", "apps", "org.heapscope.Heapscope.svg"),
        os.path.join(share, "icons", "hicolor", "symbolic", "apps", "org.heapscope.Heapscope-symbolic.svg"),
        os.path.join(share, "glib-2.0", "schemas", "org.heapscope.Heapscope.gschema.xml"),
        os.path.join(share, "heapscope", "lessons", "01-heap-memory.py"),
        os.path.join(share, "heapscope", "lessons", "16-hunting-a-leak.py"),
    ]
    for path in expected:
        if not os.path.exists(path):
            failures.append(f"not installed: {os.path.relpath(path, dest)}")

    lesson = os.path.join(share, "heapscope", "lessons", "01-heap-memory.py")
    binary = os.path.join(root, "bin", "heapscope")
    if os.path.exists(binary) and os.path.exists(lesson):
        # Run from elsewhere, so nothing can come from the source or build tree.
        r = subprocess.run([binary, "--run", lesson], capture_output=True, cwd=dest, timeout=60,
                           env=dict(os.environ, HEAPSCOPE_CHECK_LEAKS="1"))
        if r.returncode != 0 or r.stdout != b"Hello, Zenva learners!\n":
            failures.append(f"installed --run failed: {r.returncode} {r.stdout!r} {r.stderr[-500:]!r}")
        r = subprocess.run([binary, "--version"], capture_output=True, cwd=dest, timeout=60)
        if not r.stdout.startswith(b"heapscope "):
            failures.append(f"installed --version: {r.stdout!r}")

for f in failures:
    print(f)
sys.exit(1 if failures else 0)
