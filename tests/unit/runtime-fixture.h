/* runtime-fixture.h — one VM per test for the runtime's C-API unit tests, checked empty at the end. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Include after <cmocka.h> and "hs-internal.h". */

static HsVm *vm;

static int
setup (void **state)
{
  HsConfig config;

  (void) state;
  hs_config_init (&config);
  vm = hs_vm_new (&config);
  return vm != NULL ? 0 : -1;
}

/* Every test leaves no live object and no live byte behind. */
static int
teardown (void **state)
{
  HsMemStats stats;

  (void) state;
  hs_vm_free (vm, &stats);
  vm = NULL;
  assert_int_equal (stats.live_objects, 0);
  assert_int_equal (stats.live_bytes, 0);
  return 0;
}
