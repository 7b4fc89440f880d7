#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz) with clang in _build-fuzz and runs each for N seconds.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: build-aux/fuzz.sh [SECONDS [TARGET...]]   (default 60 s each; targets: runtime trace)
# Environment: HEAPSCOPE_FUZZ_BUILDDIR (default _build-fuzz), HEAPSCOPE_FUZZ_JOBS (default 1).
# Corpora persist in BUILDDIR/fuzz/corpus-TARGET; crashes land in BUILDDIR/fuzz/artifacts/.
# Exit status 1 if any target found a crash, a leak, a timeout or a sanitizer report.
# Closing line: `fuzz: N passed, N failed, N executions` (a target passes when its run ends
# at the time limit with no problem found).
set -euo pipefail
top="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$top"
seconds="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(runtime trace)
b="${HEAPSCOPE_FUZZ_BUILDDIR:-_build-fuzz}"
jobs="${HEAPSCOPE_FUZZ_JOBS:-1}"

# The libraries carry coverage instrumentation (fuzzer-no-link) and both sanitizers.
# -Wno-format-nonliteral: clang's -Wformat=2 also flags va_list formatters.
if [ ! -f "$b/build.ninja" ]; then
  CC=clang meson setup "$b" -Dui=false -Dfuzzing=true \
    -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debugoptimized \
    -Dc_args='-fsanitize=fuzzer-no-link -Wno-format-nonliteral' \
    >/dev/null
fi
ninja -C "$b" src/runtime/libhsruntime.a src/trace/libhstrace.a >/dev/null

mkdir -p "$b/fuzz/artifacts"
cflags=(-std=gnu17 -g -O1 -fsanitize=fuzzer,address,undefined
        -I src/runtime -I src/trace -I "$b")
build_target () {
  case "$1" in
    runtime)
      clang "${cflags[@]}" tests/fuzz/fuzz-runtime.c "$b/src/runtime/libhsruntime.a" -lm \
        -o "$b/fuzz/fuzz-runtime" ;;
    trace)
      # shellcheck disable=SC2046
      clang "${cflags[@]}" $(pkg-config --cflags glib-2.0 gobject-2.0 gio-2.0) tests/fuzz/fuzz-trace.c \
        "$b/src/trace/libhstrace.a" "$b/src/runtime/libhsruntime.a" \
        $(pkg-config --libs glib-2.0 gobject-2.0 gio-2.0) -lpthread -lm -o "$b/fuzz/fuzz-trace" ;;
    *)
      echo "fuzz.sh: unknown target $1 (runtime, trace)" >&2; exit 2 ;;
  esac
}
for t in "${targets[@]}"; do
  build_target "$t"
done

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:suppressions=$top/tests/fuzz/ubsan.supp}"

status=0 passed=0 failed=0 execs=0
for t in "${targets[@]}"; do
  corpus="$b/fuzz/corpus-$t"
  mkdir -p "$corpus"
  extra=()
  if [ "$t" = runtime ]; then
    # Seeds come from the tree at run time (not duplicated in git).
    cp tests/lang/*.py data/lessons/*.py "$corpus"/
    extra=(-dict=tests/fuzz/python.dict -max_len=4096)
  else
    extra=(-max_len=8192)
  fi
  # Regression inputs of this target are seeds too.
  for f in tests/fuzz/crashes/"$t"-*; do
    [ -f "$f" ] && cp "$f" "$corpus"/
  done
  echo "fuzz-$t: ${seconds} s"
  log="$b/fuzz/fuzz-$t.log"
  par=()
  [ "$jobs" -gt 1 ] && par=(-fork="$jobs" -ignore_crashes=1)
  if "$b/fuzz/fuzz-$t" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2560 \
       -print_final_stats=1 "${par[@]}" \
       -artifact_prefix="$b/fuzz/artifacts/$t-" "${extra[@]}" "$corpus" >"$log" 2>&1; then
    passed=$((passed + 1))
  else
    status=1
    failed=$((failed + 1))
    echo "fuzz-$t: FOUND A PROBLEM (log: $log, inputs: $b/fuzz/artifacts/$t-*)"
    grep -m3 -E 'ERROR|SUMMARY|fuzz-runtime:|fuzz-trace:' "$log" || true
  fi
  # libFuzzer's closing statistics: executions and speed.
  grep -E 'stat::number_of_executed_units|stat::average_exec_per_sec|Done [0-9]+ runs' "$log" | tail -3 || true
  n=$(awk '/stat::number_of_executed_units:/ { n = $2 } END { print n + 0 }' "$log")
  execs=$((execs + n))
done
echo "fuzz: $passed passed, $failed failed, $execs executions"
exit "$status"
