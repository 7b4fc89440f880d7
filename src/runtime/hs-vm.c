/* hs-vm.c — the VM (placeholder until the interpreter lands: every run reports that). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hs-internal.h"

void
hs_config_init (HsConfig *config)
{
  memset (config, 0, sizeof *config);
  config->profile = HS_PROFILE_TUTORIAL;
  config->step_limit = 10000000;
  config->heap_limit = 256u << 20;
  config->output_limit = 16u << 20;
  config->recursion_limit = 1000;
}

HsVm *
hs_vm_new (const HsConfig *config)
{
  HsVm *vm = calloc (1, sizeof *vm);

  vm->config = *config;
  return vm;
}

void
hs_vm_free (HsVm *vm, HsMemStats *final)
{
  if (final != NULL)
    memset (final, 0, sizeof *final);
  free (vm);
}

HsResult
hs_vm_run (HsVm *vm, const char *filename, const char *source, size_t len)
{
  static const char msg[] = "heapscope: the interpreter is not built yet\n";

  (void) filename; (void) source; (void) len;
  if (vm->config.write != NULL)
    vm->config.write (vm->config.user_data, HS_STREAM_STDERR, msg, sizeof msg - 1);
  return HS_RESULT_RUNTIME_ERROR;
}

int
hs_vm_exit_status (HsVm *vm)
{
  return vm->exit_status;
}
