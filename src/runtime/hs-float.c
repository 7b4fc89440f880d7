/* hs-float.c — float (not written yet). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "hs-internal.h"

typedef int hs_placeholder_unit;
