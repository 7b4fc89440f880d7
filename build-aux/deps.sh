#!/usr/bin/env bash
# Installs, with apt-get, whatever Heapscope needs to build, run and test on Debian 12.
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail

pkgs=(
  build-essential meson ninja-build pkg-config gettext
  libglib2.0-dev libgtk-4-dev libgtksourceview-5-dev libcmocka-dev
  python3 xvfb xauth imagemagick desktop-file-utils appstream
  clang libclang-rt-14-dev valgrind xdotool
)

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

# python3 may come from elsewhere (pyenv); any python3 on PATH is good enough.
if command -v python3 >/dev/null 2>&1; then
  missing=("${missing[@]/python3}")
fi
cleaned=()
for p in "${missing[@]}"; do [ -n "$p" ] && cleaned+=("$p"); done

if [ "${#cleaned[@]}" -gt 0 ]; then
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  echo "heapscope: installing ${cleaned[*]}" >&2
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${cleaned[@]}" >/dev/null
fi
