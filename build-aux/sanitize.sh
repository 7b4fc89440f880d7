#!/usr/bin/env bash
# Builds Heapscope with AddressSanitizer + UndefinedBehaviorSanitizer in _build-asan and runs the test suite.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: build-aux/sanitize.sh [meson test arguments...]
# Environment: HEAPSCOPE_ASAN_BUILDDIR (default _build-asan), CC (default gcc: Debian 12's
# gcc 12 builds every file without warnings; clang 14 rejects hs-disasm.c under -Wformat=2).
# Closing line: `asan: N passed, N failed, N skipped` (then one `asan: FAILED name` per failure).
#
# Without arguments it runs every test in two passes:
#   1. every suite but ui, with fast (frame-pointer) allocation stacks;
#   2. the ui suite, with full (DWARF) allocation stacks, so the few leaks that GLib and GTK
#      make on purpose match their lines in tests/fuzz/lsan.supp (GLib is built without frame
#      pointers: fast stacks end at g_malloc).  Only 10 frames: full stacks are slow.
# Not run here: the benchmarks (timings under ASan mean nothing) and the lang-cpython suite
# (it runs python3 on tests/lang, no Heapscope code; the normal build runs it).
# With arguments, one pass with exactly those arguments (full stacks if one of them is "ui").
# A leak report with a useless stack: rerun that test with
#   ASAN_OPTIONS=detect_leaks=1:fast_unwind_on_malloc=0
set -euo pipefail
top="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$top"
b="${HEAPSCOPE_ASAN_BUILDDIR:-_build-asan}"

if [ ! -f "$b/build.ninja" ]; then
  CC="${CC:-gcc}" meson setup "$b" -Db_sanitize=address,undefined -Db_lundef=false \
    -Dbuildtype=debugoptimized >/dev/null
fi
ninja -C "$b"

# Leaks are errors; a UB report stops the process.  Known, reported UB sites would be listed
# in tests/fuzz/ubsan.supp (empty today); GLib's and GTK's own leaks in tests/fuzz/lsan.supp.
asan_options="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:suppressions=$top/tests/fuzz/ubsan.supp}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$top/tests/fuzz/lsan.supp:print_suppressions=0}"
export G_SLICE=always-malloc G_DEBUG=gc-friendly
full_stacks="$asan_options:fast_unwind_on_malloc=0:malloc_context_size=10"

# Under ASan everything runs 2-5 times slower: four times each test's own timeout.
run_tests () # LOGBASE ASAN_OPTIONS meson-test-arguments...
{
  local logbase="$1" options="$2"
  shift 2
  rm -f "$b/meson-logs/$logbase.json"
  ASAN_OPTIONS="$options" GSK_RENDERER=cairo GSETTINGS_BACKEND=memory NO_AT_BRIDGE=1 \
    xvfb-run -a -s "-screen 0 1920x1080x24" \
    meson test -C "$b" --no-rebuild --print-errorlogs --num-processes "$(nproc)" \
      --timeout-multiplier 4 --logbase "$logbase" "$@"
}

status=0
logs=()
if [ $# -eq 0 ]; then
  run_tests testlog "$asan_options" --no-suite ui --no-suite lang-cpython || status=$?
  run_tests testlog-ui "$full_stacks" --suite ui || status=$?
  logs=("$b/meson-logs/testlog.json" "$b/meson-logs/testlog-ui.json")
else
  options="$asan_options"
  for a in "$@"; do
    [ "$a" = ui ] && options="$full_stacks"
  done
  run_tests testlog "$options" "$@" || status=$?
  logs=("$b/meson-logs/testlog.json")
fi

python3 - "${logs[@]}" <<'PY' || status=1
import json, sys
counts = {"passed": 0, "failed": 0, "skipped": 0}
failed = []
for path in sys.argv[1:]:
    try:
        f = open(path)
    except FileNotFoundError:
        counts["failed"] += 1
        failed.append(f"(no log: {path})")
        continue
    with f:
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
sys.exit(1 if failed else 0)
PY
exit "$status"
