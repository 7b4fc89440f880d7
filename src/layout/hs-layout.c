/* hs-layout.c — heap graph layout (not written yet). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
typedef int hs_layout_placeholder_unit;
