/* hs-compiler.h — turns a module's syntax tree into code objects. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "hs-ast.h"
#include "hs-code.h"

/* Compiles a parsed module into its code object (a new reference; nested functions,
 * classes, lambdas and comprehensions are constants of their parent code).  The
 * profile (vm->config.profile) decides how literals are loaded (hs-opcodes.h:
 * LOAD_CONST vs LOAD_LITERAL).  `source`/`len` is the program text, used only to copy
 * the offending line into err->text.  Returns NULL with err filled on a compile-time
 * SyntaxError (no exception is set on the VM), or NULL with MemoryError set on the VM
 * (err->type_name is then empty). */
HsObject *hs_compile (HsVm *vm, HsModule *mod, const char *filename, const char *source,
                      size_t len, HsSyntaxError *err);
