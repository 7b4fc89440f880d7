/* hs-builtins.c — builtins (not written yet). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "hs-internal.h"

void
hs_builtins_init (HsVm *vm)
{
  (void) vm;
}

