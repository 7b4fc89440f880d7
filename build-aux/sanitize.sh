#!/usr/bin/env bash
# Builds Heapscope with AddressSanitizer + UndefinedBehaviorSanitizer in _build-asan and runs the test suite.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: build-aux/sanitize.sh [meson test arguments...]
# Environment: HEAPSCOPE_ASAN_BUILDDIR (default _build-asan), CC (default gcc: Debian 12's
# gcc 12 builds every file without warnings; clang 14 rejects hs-disasm.c under -Wformat=2).
# Excluded: benchmarks only (meson test never runs them unless asked; timings under ASan mean
# nothing).  Every other suite, ui included, runs under Xvfb.  NOTE: with -O0 (buildtype debug)
# gcc 12 rejects tests/bench/layout/bench-render.c:84 (-Werror=format-truncation), so the
# build dir uses debugoptimized until that is fixed.
set -euo pipefail
top="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$top"
b="${HEAPSCOPE_ASAN_BUILDDIR:-_build-asan}"

if [ ! -f "$b/build.ninja" ]; then
  CC="${CC:-gcc}" meson setup "$b" -Db_sanitize=address,undefined -Db_lundef=false \
    -Dbuildtype=debugoptimized >/dev/null
fi
ninja -C "$b"

# Leaks are errors; a UB report stops the process.  Known, reported UB sites are listed in
# tests/fuzz/ubsan.supp.  GLib's own one-time allocations are not leaks of ours.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:suppressions=$top/tests/fuzz/ubsan.supp}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$top/tests/fuzz/lsan.supp:print_suppressions=0}"
export G_SLICE=always-malloc G_DEBUG=gc-friendly

status=0
GSK_RENDERER=cairo GSETTINGS_BACKEND=memory NO_AT_BRIDGE=1 \
  xvfb-run -a -s "-screen 0 1920x1080x24" \
  meson test -C "$b" --print-errorlogs --num-processes "$(nproc)" --timeout-multiplier 4 "$@" || status=$?

python3 - "$b/meson-logs/testlog.json" <<'PY'
import json, sys
counts = {"passed": 0, "failed": 0, "skipped": 0}
failed = []
with open(sys.argv[1]) as f:
    for line in f:
        t = json.loads(line)
        r = t.get("result", "")
        if r in ("OK", "EXPECTEDFAIL"):
            counts["passed"] += 1
        elif r == "SKIP":
            counts["skipped"] += 1
        else:
            counts["failed"] += 1
            failed.append(t.get("name", "?"))
print(f"asan: {counts['passed']} passed, {counts['failed']} failed, {counts['skipped']} skipped")
for name in failed:
    print(f"asan: FAILED {name}")
PY
exit "$status"
