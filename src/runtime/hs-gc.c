/* hs-gc.c — the cycle collector (not written yet). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "hs-internal.h"

void
hs_gc_init (HsVm *vm)
{
  (void) vm;
}

void
hs_gc_fini (HsVm *vm)
{
  (void) vm;
}

