/* hs-int.c — int and bool (not written yet). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "hs-internal.h"

void
hs_numbers_init (HsVm *vm)
{
  (void) vm;
}

