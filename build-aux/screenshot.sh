#!/usr/bin/env bash
# Regenerates the README's screenshot: the main window part-way through a lesson.
# usage: build-aux/screenshot.sh [OUT.png] [LESSON-ID] [STEPS] [ANSWER]
# Presses Step STEPS times, then (if given) types ANSWER into the lesson's question.
# Environment: HS_BUILD (build directory, default _build), HS_THEME (system, light or
# dark: the app's theme setting), HS_SIZE (screen and window size, default 1920x1080),
# HS_SET (more settings, "key=value key=value", e.g. "keep-finished-frames=true").
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail
top="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$top"
out="${1:-data/screenshots/main-window.png}"
lesson="${2:-11-cycles}"
steps="${3:-11}"
answer="${4:-later}"

bash build-aux/deps.sh
for tool in xdotool import; do
  command -v "$tool" >/dev/null || { echo "screenshot.sh needs $tool (apt-get install xdotool imagemagick)" >&2; exit 1; }
done
build="${HS_BUILD:-_build}"
theme="${HS_THEME:-system}"
size="${HS_SIZE:-1920x1080}"
[ -f "$build/build.ninja" ] || meson setup "$build" >/dev/null
ninja -C "$build" src/ui/heapscope data/gschemas.compiled >/dev/null

# A private settings file, so the theme can be chosen before the app starts.
export GSK_RENDERER=cairo GSETTINGS_BACKEND=keyfile NO_AT_BRIDGE=1
export GSETTINGS_SCHEMA_DIR="$top/$build/data"
export XDG_DATA_HOME="$(mktemp -d)" XDG_CONFIG_HOME="$(mktemp -d)"
gsettings set org.heapscope.Heapscope theme "$theme"
gsettings set org.heapscope.Heapscope window-width "${size%x*}"
gsettings set org.heapscope.Heapscope window-height "${size#*x}"
for kv in ${HS_SET:-}; do
  gsettings set org.heapscope.Heapscope "${kv%%=*}" "${kv#*=}"
done
display=":$((RANDOM % 400 + 100))"
Xvfb "$display" -screen 0 "${size}x24" >/dev/null 2>&1 &
xvfb=$!
trap 'kill $app $xvfb 2>/dev/null || true; rm -rf "$XDG_DATA_HOME" "$XDG_CONFIG_HOME"' EXIT
sleep 1
DISPLAY="$display" "./$build/src/ui/heapscope" --lesson "$lesson" >/dev/null 2>&1 &
app=$!
sleep "${HS_START_DELAY:-4}"
wid=$(DISPLAY="$display" xdotool search --sync --name "Heapscope" | head -n 1)
DISPLAY="$display" xdotool windowsize "$wid" "${size%x*}" "${size#*x}" windowmove "$wid" 0 0
sleep 1
for _ in $(seq "$steps"); do
  DISPLAY="$display" xdotool key F10
  sleep "${HS_STEP_DELAY:-0.7}"
done
if [ -n "$answer" ]; then
  DISPLAY="$display" xdotool type --delay 60 "$answer"
  DISPLAY="$display" xdotool key Return
  sleep 1
fi
sleep 1.5
mkdir -p "$(dirname "$out")"
DISPLAY="$display" import -window root "$out"
echo "wrote $out"
