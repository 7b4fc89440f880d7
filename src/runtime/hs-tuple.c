/* hs-tuple.c — tuple (not written yet). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "hs-internal.h"

void
hs_containers_init (HsVm *vm)
{
  (void) vm;
}

void
hs_containers_fini (HsVm *vm)
{
  (void) vm;
}

