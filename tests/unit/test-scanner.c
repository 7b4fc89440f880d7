/* test-scanner.c — the tokenizer: token kinds, texts and positions for tricky input. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hs-scanner.h"

/* Tokens of src as "KIND:text KIND:text ..." (text omitted for NEWLINE,
 * INDENT, DEDENT, ENDMARKER), or "ERROR:<type>:<message>". */
static char *
scan_all (const char *src, size_t len)
{
  HsSyntaxError err = { 0 };
  size_t blen = 0;
  char *buf = hs_scanner_prepare (src, len, &blen, &err);
  size_t cap = 4096, n = 0;
  char *out = malloc (cap);
  out[0] = '\0';
  if (buf == NULL)
    {
      snprintf (out, cap, "ERROR:%s:%s", err.type_name, err.message);
      hs_syntax_error_clear (&err);
      return out;
    }
  HsScanner s;
  hs_scanner_init (&s, buf, blen, &err);
  HsToken t;
  for (;;)
    {
      if (!hs_scanner_next (&s, &t))
        {
          n += (size_t) snprintf (out + n, cap - n, "%sERROR:%s:%s", n ? " " : "", err.type_name,
                                  err.message);
          break;
        }
      const char *name = hs_token_kind_name (t.kind);
      bool text = !(t.kind == HS_TOK_NEWLINE || t.kind == HS_TOK_INDENT || t.kind == HS_TOK_DEDENT
                    || t.kind == HS_TOK_ENDMARKER);
      if (n + strlen (name) + (t.end - t.start) + 8 >= cap)
        {
          cap = cap * 2 + (t.end - t.start);
          out = realloc (out, cap);
        }
      if (text)
        n += (size_t) snprintf (out + n, cap - n, "%s%s:%.*s", n ? " " : "", name,
                                (int) (t.end - t.start), buf + t.start);
      else
        n += (size_t) snprintf (out + n, cap - n, "%s%s", n ? " " : "", name);
      if (t.kind == HS_TOK_ENDMARKER)
        break;
    }
  hs_syntax_error_clear (&err);
  free (buf);
  return out;
}

static void
check (const char *src, const char *expected)
{
  char *got = scan_all (src, strlen (src));
  if (strcmp (got, expected) != 0)
    fail_msg ("source: %s\nexpected: %s\ngot:      %s", src, expected, got);
  free (got);
}

static void
test_scanner_basic (void **state)
{
  (void) state;
  check ("", "ENDMARKER");
  check ("x = 1\n", "NAME:x =:= NUMBER:1 NEWLINE ENDMARKER");
  check ("x = 1", "NAME:x =:= NUMBER:1 NEWLINE ENDMARKER");
  check ("# only\n\n  # indented comment\n", "ENDMARKER");
  check ("pass # c\n", "pass:pass NEWLINE ENDMARKER");
  check ("if x:\n    y\nz\n",
         "if:if NAME:x ::: NEWLINE INDENT NAME:y NEWLINE DEDENT NAME:z NEWLINE ENDMARKER");
  check ("if x:\n  if y:\n    z\n", "if:if NAME:x ::: NEWLINE INDENT if:if NAME:y ::: NEWLINE INDENT "
                                    "NAME:z NEWLINE DEDENT DEDENT ENDMARKER");
  check ("if x:\n\n   \n  # c\n  y\n", "if:if NAME:x ::: NEWLINE INDENT NAME:y NEWLINE DEDENT ENDMARKER");
  check ("if x:\n\ty\n", "if:if NAME:x ::: NEWLINE INDENT NAME:y NEWLINE DEDENT ENDMARKER");
}

static void
test_scanner_joining (void **state)
{
  (void) state;
  check ("x = (1,\n     2)\n", "NAME:x =:= (:( NUMBER:1 ,:, NUMBER:2 ):) NEWLINE ENDMARKER");
  check ("x = [\n# c\n1\n\n]\n", "NAME:x =:= [:[ NUMBER:1 ]:] NEWLINE ENDMARKER");
  check ("x = 1 + \\\n  2\n", "NAME:x =:= NUMBER:1 +:+ NUMBER:2 NEWLINE ENDMARKER");
  check ("if x:\n    a = {\n  1: 2}\n", "if:if NAME:x ::: NEWLINE INDENT NAME:a =:= {:{ NUMBER:1 ::: "
                                        "NUMBER:2 }:} NEWLINE DEDENT ENDMARKER");
  check ("x = 1\\", "NAME:x =:= NUMBER:1 ERROR:SyntaxError:unexpected EOF while parsing");
  check ("x = 1 \\ y", "NAME:x =:= NUMBER:1 ERROR:SyntaxError:unexpected character after line "
                       "continuation character");
}

static void
test_scanner_operators (void **state)
{
  (void) state;
  check ("+ - * / // % ** @ << >> & | ^ ~ < > <= >= == != := -> ... . , ; : = ",
         "+:+ -:- *:* /:/ //:// %:% **:** @:@ <<:<< >>:>> &:& |:| ^:^ ~:~ <:< >:> <=:<= >=:>= "
         "==:== !=:!= :=::= ->:-> ...:... .:. ,:, ;:; ::: =:= NEWLINE ENDMARKER");
  check ("+= -= *= /= //= %= **= @= <<= >>= &= |= ^=",
         "+=:+= -=:-= *=:*= /=:/= //=://= %=:%= **=:**= @=:@= <<=:<<= >>=:>>= &=:&= |=:|= ^=:^= "
         "NEWLINE ENDMARKER");
  check ("a.b..c", "NAME:a .:. NAME:b .:. .:. NAME:c NEWLINE ENDMARKER");
}

static void
test_scanner_numbers (void **state)
{
  (void) state;
  check ("0 00 0x1F 0o17 0b1_0 1_000 1.5 .5 5. 1e10 1E-5 1.5e+3 0.0 0_0 1if",
         "NUMBER:0 NUMBER:00 NUMBER:0x1F NUMBER:0o17 NUMBER:0b1_0 NUMBER:1_000 NUMBER:1.5 "
         "NUMBER:.5 NUMBER:5. NUMBER:1e10 NUMBER:1E-5 NUMBER:1.5e+3 NUMBER:0.0 NUMBER:0_0 "
         "NUMBER:1 if:if NEWLINE ENDMARKER");
  check ("1j 1.5J", "NUMBER:1j NUMBER:1.5J NEWLINE ENDMARKER");
  check ("123abc", "ERROR:SyntaxError:invalid decimal literal");
  check ("0xg", "ERROR:SyntaxError:invalid hexadecimal literal");
  check ("0o8", "ERROR:SyntaxError:invalid digit '8' in octal literal");
  check ("0b2", "ERROR:SyntaxError:invalid digit '2' in binary literal");
  check ("1__0", "ERROR:SyntaxError:invalid decimal literal");
  check ("012", "ERROR:SyntaxError:leading zeros in decimal integer literals are not permitted; "
                "use an 0o prefix for octal integers");
}

static void
test_scanner_strings (void **state)
{
  (void) state;
  check ("'a' \"b\" '''c\n''' \"\"\"d\"\"\"",
         "STRING:'a' STRING:\"b\" STRING:'''c\n''' STRING:\"\"\"d\"\"\" NEWLINE ENDMARKER");
  check ("r'\\n' R'x' u'y' U'z' f'{a}' F'b' rf'c' fR'd' Rb'e' b'f' BR'g'",
         "STRING:r'\\n' STRING:R'x' STRING:u'y' STRING:U'z' STRING:f'{a}' STRING:F'b' STRING:rf'c' "
         "STRING:fR'd' STRING:Rb'e' STRING:b'f' STRING:BR'g' NEWLINE ENDMARKER");
  check ("ur'x'", "NAME:ur STRING:'x' NEWLINE ENDMARKER");
  check ("'a\\'b' 'c\\\nd'", "STRING:'a\\'b' STRING:'c\\\nd' NEWLINE ENDMARKER");
  check ("'''a''''", "STRING:'''a''' ERROR:SyntaxError:unterminated string literal (detected at line 1)");
  check ("x = 'abc\n", "NAME:x =:= ERROR:SyntaxError:unterminated string literal (detected at line 1)");
  check ("x = '''abc\n\n", "NAME:x =:= ERROR:SyntaxError:unterminated triple-quoted string literal "
                           "(detected at line 2)");
  check ("''", "STRING:'' NEWLINE ENDMARKER");
}

static void
test_scanner_names (void **state)
{
  (void) state;
  check ("caf\xc3\xa9 \xcf\x80 _x9 __init__", "NAME:caf\xc3\xa9 NAME:\xcf\x80 NAME:_x9 NAME:__init__ "
                                           "NEWLINE ENDMARKER");
  check ("if else elif while for in not and or is None True False lambda def class",
         "if:if else:else elif:elif while:while for:for in:in not:not and:and or:or is:is "
         "None:None True:True False:False lambda:lambda def:def class:class NEWLINE ENDMARKER");
  check ("a \xe2\x82\xac", "NAME:a ERROR:SyntaxError:invalid character '\xe2\x82\xac' (U+20AC)");
  check ("a $ b", "NAME:a ERRORTOKEN:$ NAME:b NEWLINE ENDMARKER");
  check ("\x01", "ERROR:SyntaxError:invalid non-printable character U+0001");
}

static void
test_scanner_brackets (void **state)
{
  (void) state;
  check ("x = (1]", "NAME:x =:= (:( NUMBER:1 ERROR:SyntaxError:closing parenthesis ']' does not "
                    "match opening parenthesis '('");
  check ("x = (1,\n]", "NAME:x =:= (:( NUMBER:1 ,:, ERROR:SyntaxError:closing parenthesis ']' does "
                       "not match opening parenthesis '(' on line 1");
  check ("x)", "NAME:x ERROR:SyntaxError:unmatched ')'");
  check ("f(\n", "NAME:f (:( ERROR:SyntaxError:'(' was never closed");
}

static void
test_scanner_indentation_errors (void **state)
{
  (void) state;
  check ("if x:\n    a\n  b\n", "if:if NAME:x ::: NEWLINE INDENT NAME:a NEWLINE "
                                  "ERROR:IndentationError:unindent does not match any outer "
                                  "indentation level");
  check ("if x:\n        a\n\tb\n", "if:if NAME:x ::: NEWLINE INDENT NAME:a NEWLINE "
                                     "ERROR:TabError:inconsistent use of tabs and spaces in indentation");
  check ("if x:\n\ta\n        b\n", "if:if NAME:x ::: NEWLINE INDENT NAME:a NEWLINE "
                                     "ERROR:TabError:inconsistent use of tabs and spaces in indentation");
}

static void
test_scanner_prepare (void **state)
{
  (void) state;
  check ("x\r\ny\r\n", "NAME:x NEWLINE NAME:y NEWLINE ENDMARKER");
  check ("x\ry\r", "NAME:x NEWLINE NAME:y NEWLINE ENDMARKER");
  check ("\xef\xbb\xbfx", "NAME:x NEWLINE ENDMARKER");
  {
    char *got = scan_all ("x\0y", 3);
    assert_string_equal (got, "ERROR:SyntaxError:source code cannot contain null bytes");
    free (got);
  }
  check ("x = '\xc3'", "ERROR:SyntaxError:Non-UTF-8 code starting with '\\xc3' in file \x01 on line 1, "
                       "but no encoding declared; see https://peps.python.org/pep-0263/ for details");
  check ("\xc0\x80", "ERROR:SyntaxError:Non-UTF-8 code starting with '\\xc0' in file \x01 on line 1, "
                     "but no encoding declared; see https://peps.python.org/pep-0263/ for details");
}

static void
test_scanner_positions (void **state)
{
  (void) state;
  const char *src = "x = (\xc3\xa9 +\n  '''a\nb''')\n";
  HsSyntaxError err = { 0 };
  size_t blen;
  char *buf = hs_scanner_prepare (src, strlen (src), &blen, &err);
  HsScanner s;
  hs_scanner_init (&s, buf, blen, &err);
  HsToken t[16];
  int n = 0;
  while (n < 16 && hs_scanner_next (&s, &t[n]) && t[n].kind != HS_TOK_ENDMARKER)
    n++;
  assert_int_equal (n, 8);   /* x = ( é + str ) NEWLINE */
  assert_int_equal (t[3].kind, HS_TOK_NAME);
  assert_int_equal (t[3].col, 5);
  assert_int_equal (t[3].end_col, 7);           /* bytes, as CPython's ast */
  assert_int_equal (t[3].level, 1);
  assert_int_equal (t[5].kind, HS_TOK_STRING);
  assert_int_equal (t[5].lineno, 2);
  assert_int_equal (t[5].col, 2);
  assert_int_equal (t[5].end_lineno, 3);
  assert_int_equal (t[5].end_col, 4);
  assert_int_equal (t[6].kind, HS_TOK_RPAR);
  assert_int_equal (t[6].level, 0);
  hs_syntax_error_clear (&err);
  free (buf);
}

static void
test_scanner_error_positions (void **state)
{
  (void) state;
  /* 1-based character offsets, as SyntaxError.offset / end_offset in CPython 3.11 */
  static const struct { const char *src; uint32_t line, off, end; } cases[] = {
    { "x = 'abc\n", 1, 5, 5 },
    { "x = (1]\n", 1, 7, 7 },
    { "x = 123abc\n", 1, 7, 7 },
    { "x = a \xe2\x82\xac b\n", 1, 7, 7 },
    { "\xc3\xa9 = '\n", 1, 5, 5 },
    { "x = 012\n", 1, 5, 6 },
    { "x = (1,\n", 1, 5, 0 },
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    {
      HsSyntaxError err = { 0 };
      size_t blen;
      char *buf = hs_scanner_prepare (cases[i].src, strlen (cases[i].src), &blen, &err);
      HsScanner s;
      hs_scanner_init (&s, buf, blen, &err);
      HsToken t;
      while (hs_scanner_next (&s, &t) && t.kind != HS_TOK_ENDMARKER)
        ;
      assert_true (s.failed);
      if (err.lineno != cases[i].line || err.col_offset != cases[i].off
          || err.end_col_offset != cases[i].end)
        fail_msg ("case %zu: got line %u offset %u end %u", i, err.lineno, err.col_offset,
                  err.end_col_offset);
      hs_syntax_error_clear (&err);
      free (buf);
    }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_scanner_basic),
    cmocka_unit_test (test_scanner_joining),
    cmocka_unit_test (test_scanner_operators),
    cmocka_unit_test (test_scanner_numbers),
    cmocka_unit_test (test_scanner_strings),
    cmocka_unit_test (test_scanner_names),
    cmocka_unit_test (test_scanner_brackets),
    cmocka_unit_test (test_scanner_indentation_errors),
    cmocka_unit_test (test_scanner_prepare),
    cmocka_unit_test (test_scanner_positions),
    cmocka_unit_test (test_scanner_error_positions),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
