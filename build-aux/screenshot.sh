#!/usr/bin/env bash
# Regenerates the README's screenshot: the main window part-way through a lesson.
# usage: build-aux/screenshot.sh [OUT.png] [LESSON-ID] [STEPS] [ANSWER]
# Presses Step STEPS times, then (if given) types ANSWER into the lesson's question.
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail
top="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$top"
out="${1:-data/screenshots/main-window.png}"
lesson="${2:-11-cycles}"
steps="${3:-10}"
answer="${4:-later}"

bash build-aux/deps.sh
for tool in xdotool import; do
  command -v "$tool" >/dev/null || { echo "screenshot.sh needs $tool (apt-get install xdotool imagemagick)" >&2; exit 1; }
done
[ -f _build/build.ninja ] || meson setup _build >/dev/null
ninja -C _build >/dev/null

export GSK_RENDERER=cairo GSETTINGS_BACKEND=memory NO_AT_BRIDGE=1
export GSETTINGS_SCHEMA_DIR="$top/_build/data"
export XDG_DATA_HOME="$(mktemp -d)"
display=":$((RANDOM % 400 + 100))"
Xvfb "$display" -screen 0 1500x940x24 >/dev/null 2>&1 &
xvfb=$!
trap 'kill $app $xvfb 2>/dev/null || true; rm -rf "$XDG_DATA_HOME"' EXIT
sleep 1
DISPLAY="$display" ./_build/src/ui/heapscope --lesson "$lesson" >/dev/null 2>&1 &
app=$!
sleep 3
wid=$(DISPLAY="$display" xdotool search --sync --name "Heapscope" | head -n 1)
DISPLAY="$display" xdotool windowsize "$wid" 1500 940 windowmove "$wid" 0 0
sleep 1
for _ in $(seq "$steps"); do
  DISPLAY="$display" xdotool key F10
  sleep 0.7
done
if [ -n "$answer" ]; then
  DISPLAY="$display" xdotool type --delay 60 "$answer"
  DISPLAY="$display" xdotool key Return
  sleep 1
fi
sleep 1.5
mkdir -p "$(dirname "$out")"
DISPLAY="$display" import -window "$wid" "$out"
echo "wrote $out"
