/* hs-class.c — classes (not written yet). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "hs-internal.h"

void
hs_object_types_init (HsVm *vm)
{
  (void) vm;
}

