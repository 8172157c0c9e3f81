/* Chars and strings of the tracee as gdb prints them inside a value
 * (value_format.c): gdb's escapes (\n, \", \ooo...), quoted runs and
 * "<repeats N times>". The output is printable ASCII. */
#ifndef PTRC_STACK_VALUE_STRING_H
#define PTRC_STACK_VALUE_STRING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ptrc/strbuf.h"

#define VALUE_MAX_CHARS 200     /* gdb's "print elements" */
#define VALUE_REPEATS 10        /* gdb's "print repeats" */

/* One byte as gdb writes it inside QUOTE-delimited text. */
void value_put_char(struct strbuf *sb, uint8_t c, char quote);

/* BYTES as gdb prints a string (see value_string.c); "..." when the limit
 * cut it or TRUNCATED says it went on. */
void value_put_string(struct strbuf *sb, const uint8_t *bytes, size_t len,
		bool truncated);

#endif
