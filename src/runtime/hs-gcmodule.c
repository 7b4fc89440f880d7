/* hs-gcmodule.c — the gc module (not written yet). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "hs-internal.h"

void
hs_gcmodule_init (HsVm *vm)
{
  (void) vm;
}

