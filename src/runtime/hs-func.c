/* hs-func.c — functions (not written yet). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "hs-internal.h"

void
hs_func_types_init (HsVm *vm)
{
  (void) vm;
}

