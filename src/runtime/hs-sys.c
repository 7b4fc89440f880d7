/* hs-sys.c — sys (not written yet). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "hs-internal.h"

void
hs_sys_init (HsVm *vm)
{
  (void) vm;
}

