/* hs-str.c — str (not written yet). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "hs-internal.h"

void
hs_str_init (HsVm *vm)
{
  (void) vm;
}

void
hs_str_fini (HsVm *vm)
{
  (void) vm;
}

