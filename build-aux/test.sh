#!/usr/bin/env bash
# Installs what is missing, builds Heapscope, and runs every test (UI tests under Xvfb).
# Extra arguments go to `meson test` (a suite name, --benchmark, ...).
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail
top="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$top"
builddir="${HEAPSCOPE_BUILDDIR:-_build}"

bash build-aux/deps.sh
[ -f "$builddir/build.ninja" ] || meson setup "$builddir" ${HEAPSCOPE_SETUP_ARGS:-} >/dev/null
ninja -C "$builddir"

status=0
GSK_RENDERER=cairo GSETTINGS_BACKEND=memory NO_AT_BRIDGE=1 \
  xvfb-run -a -s "-screen 0 1920x1080x24" \
  meson test -C "$builddir" --print-errorlogs --num-processes "$(nproc)" "$@" || status=$?

# One plain closing line, whatever the runner printed above.
python3 - "$builddir/meson-logs/testlog.json" <<'PY'
import json, sys
counts = {"passed": 0, "failed": 0, "skipped": 0}
try:
    with open(sys.argv[1]) as f:
        for line in f:
            r = json.loads(line).get("result", "")
            if r in ("OK", "EXPECTEDFAIL"):
                counts["passed"] += 1
            elif r == "SKIP":
                counts["skipped"] += 1
            else:
                counts["failed"] += 1
except FileNotFoundError:
    pass
print(f"tests: {counts['passed']} passed, {counts['failed']} failed, {counts['skipped']} skipped")
PY
exit "$status"
