#!/usr/bin/env bash
# Installs what is missing, builds Heapscope, and starts it.  Arguments go to the app.
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail
top="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$top"

bash build-aux/deps.sh
[ -f _build/build.ninja ] || meson setup _build >/dev/null
ninja -C _build >/dev/null
exec ./_build/src/ui/heapscope "$@"
