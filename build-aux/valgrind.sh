#!/usr/bin/env bash
# Runs every tests/lang program and every lesson under valgrind memcheck with the normal build.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: build-aux/valgrind.sh [BUILDDIR]   (default _build-rel; built first if needed)
# Prints one line per program with errors, then
#   valgrind: N programs, N with errors, N errors, N bytes lost, N s
# BUILDDIR/valgrind/progress.txt gets one line per finished program (to follow a long run).
# Exit status 1 if any program had a memcheck error or lost bytes.
set -uo pipefail
top="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$top"
b="${1:-_build-rel}"
[ -f "$b/build.ninja" ] || meson setup "$b" >/dev/null
ninja -C "$b" src/ui/heapscope >/dev/null || exit 2
logdir="$b/valgrind"
mkdir -p "$logdir"
# A private copy: a rebuild of BUILDDIR during the (long) run must not change the binary under test.
cp "$b/src/ui/heapscope" "$logdir/heapscope"
bin="$top/$logdir/heapscope"
progress="$logdir/progress.txt"
: >"$progress"

start=$(date +%s)
programs=0 bad=0 errors=0 lost=0
for prog in tests/lang/*.py data/lessons/*.py; do
  # tests/lang's own helper scripts are not corpus programs.
  case "$(basename "$prog")" in
    run-lang-test.py|check-cpython.py|list-tests.py) continue ;;
  esac
  name="$(basename "$(dirname "$prog")")-$(basename "$prog" .py)"
  log="$logdir/$name.log"
  programs=$((programs + 1))
  t0=$(date +%s)
  # The program's own exit status (errors, sys.exit) does not matter here; memcheck's does.
  (cd "$(dirname "$prog")" && GSETTINGS_BACKEND=memory timeout 600 \
     valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
       --log-file="$top/$log" "$bin" --run "$(basename "$prog")" </dev/null >/dev/null 2>&1)
  status=$?
  n_lost=$(awk '/definitely lost:|indirectly lost:/ { gsub(",", "", $4); s += $4 } END { print s + 0 }' "$log")
  n_err=$(awk '/ERROR SUMMARY:/ { gsub(",", "", $4); s += $4 } END { print s + 0 }' "$log")
  lost=$((lost + n_lost))
  errors=$((errors + n_err))
  echo "$programs $prog status $status errors $n_err lost $n_lost $(( $(date +%s) - t0 )) s" >>"$progress"
  if [ "$status" = 99 ] || [ "$status" = 124 ] || [ "$n_err" -gt 0 ] || [ "$n_lost" -gt 0 ] \
     || grep -q "Process terminating" "$log"; then
    bad=$((bad + 1))
    echo "valgrind: $prog: $(grep -m1 'ERROR SUMMARY' "$log" | sed 's/^==[0-9]*== //') lost $n_lost bytes, status $status (log: $log)"
  fi
done
echo "valgrind: $programs programs, $bad with errors, $errors errors, $lost bytes lost, $(( $(date +%s) - start )) s"
[ "$bad" = 0 ]
