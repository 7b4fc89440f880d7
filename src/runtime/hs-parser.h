/* hs-parser.h — recursive-descent parser for the Python 3.11 subset (hs_parse is in hs-ast.h). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stdbool.h>

#include "hs-ast.h"

/* hs_parse() never nests deeper than this many expression levels; deeper
 * input is a SyntaxError ("too many nested expressions"), never a C stack
 * overflow.  The compiler may rely on it. */
#define HS_PARSER_MAX_DEPTH 1000

/* In HsSyntaxError.message, this byte stands for the file name: CPython names
 * the file inside the message for undecodable source ("Non-UTF-8 code ... in
 * file F.py ...", with lineno 0 and no File line).  hs_syntax_error_format()
 * substitutes it. */
#define HS_SYNTAX_ERROR_FILE_MARK '\x01'

/* The tree written the way Python's ast.dump (tree) writes it (fields that are
 * None left out), malloc'd.  With positions: include_attributes=True. */
char *hs_ast_dump (const HsModule *mod);
char *hs_ast_dump_with_positions (const HsModule *mod);
