#!/usr/bin/env bash
# Installs what is missing, builds Heapscope, and starts it.  Arguments go to the app.
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail
top="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$top"

bash build-aux/deps.sh
[ -f _build/build.ninja ] || meson setup _build >/dev/null
ninja -C _build >/dev/null
# Uninstalled, the settings schema lives in the build tree.
export GSETTINGS_SCHEMA_DIR="$top/_build/data${GSETTINGS_SCHEMA_DIR:+:$GSETTINGS_SCHEMA_DIR}"
exec ./_build/src/ui/heapscope "$@"
