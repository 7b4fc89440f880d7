/* hs-error.c — exceptions (not written yet). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "hs-internal.h"

void
hs_errors_init (HsVm *vm)
{
  (void) vm;
}

