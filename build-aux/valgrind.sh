#!/usr/bin/env bash
# Runs every tests/lang program and every lesson under valgrind memcheck with the normal build.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: build-aux/valgrind.sh [BUILDDIR]   (default _build-rel; built first if needed)
# Prints one line per program with errors, then
#   valgrind: N programs, N with errors, N bytes lost
# Exit status 1 if any program had a memcheck error or lost bytes.
set -uo pipefail
top="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$top"
b="${1:-_build-rel}"
[ -f "$b/build.ninja" ] || meson setup "$b" >/dev/null
ninja -C "$b" src/ui/heapscope >/dev/null || exit 2
bin="$top/$b/src/ui/heapscope"
logdir="$b/valgrind"
mkdir -p "$logdir"

programs=0 bad=0 lost=0
for prog in tests/lang/*.py data/lessons/*.py; do
  name="$(basename "$(dirname "$prog")")-$(basename "$prog" .py)"
  log="$logdir/$name.log"
  programs=$((programs + 1))
  # The program's own exit status (errors, sys.exit) does not matter here; memcheck's does.
  (cd "$(dirname "$prog")" && GSETTINGS_BACKEND=memory timeout 600 \
     valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
       --log-file="$top/$log" "$bin" --run "$(basename "$prog")" >/dev/null 2>&1)
  status=$?
  n_lost=$(awk '/definitely lost:|indirectly lost:/ { gsub(",", "", $4); s += $4 } END { print s + 0 }' "$log")
  lost=$((lost + n_lost))
  if [ "$status" = 99 ] || [ "$status" = 124 ] || [ "$n_lost" -gt 0 ] || grep -q "Process terminating" "$log"; then
    bad=$((bad + 1))
    echo "valgrind: $prog: $(grep -m1 'ERROR SUMMARY' "$log" | sed 's/^==[0-9]*== //') lost $n_lost bytes (log: $log)"
  fi
done
echo "valgrind: $programs programs, $bad with errors, $lost bytes lost"
[ "$bad" = 0 ]
