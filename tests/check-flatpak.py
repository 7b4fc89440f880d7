#!/usr/bin/env python3
# check-flatpak.py — the Flatpak manifest is complete: valid JSON, the app id, a GNOME
# runtime, the command, and the app module built with meson from this tree.
# SPDX-License-Identifier: GPL-3.0-or-later
import json
import sys

m = json.load(open(sys.argv[1]))
problems = []
for key, want in (("id", "org.heapscope.Heapscope"), ("runtime", "org.gnome.Platform"),
                  ("sdk", "org.gnome.Sdk"), ("command", "heapscope")):
    if m.get(key) != want:
        problems.append(f"{key} should be {want!r}, is {m.get(key)!r}")
if not m.get("runtime-version"):
    problems.append("runtime-version is missing")
for arg in ("--socket=wayland", "--socket=fallback-x11", "--share=ipc"):
    if arg not in m.get("finish-args", []):
        problems.append(f"finish-args lacks {arg}")
app = [mod for mod in m.get("modules", []) if isinstance(mod, dict) and mod.get("name") == "heapscope"]
if not app or app[0].get("buildsystem") != "meson" or not app[0].get("sources"):
    problems.append("no heapscope module built with meson")
for p in problems:
    print(p)
sys.exit(1 if problems else 0)
