/* JSON strings (src/util/json.c): the one escaper of every JSON ptrc
 * writes (--json trace and call objects, crash reports, stacks), valid
 * whatever bytes it is given.
 *
 * Policy: the output is ASCII. Printable ASCII passes as is but '"' and
 * '\\' (backslash-escaped); every other byte -- controls, DEL, and each
 * byte >= 0x80 whether or not it is part of valid UTF-8 -- becomes \u00XX
 * with XX the byte's value. So each byte maps to the code point of the
 * same value: a reader gets the tracee's exact bytes back by encoding the
 * string as Latin-1, and an invalid UTF-8 sequence cannot be confused with
 * a valid one. */
#ifndef PTRC_JSON_H
#define PTRC_JSON_H

#include <stddef.h>
#include "ptrc/strbuf.h"

/* Append BYTES (LEN of them, NULs included) as a JSON string with its
 * quotes. */
void json_string(struct strbuf *sb, const char *bytes, size_t len);

/* The NUL-terminated S as a JSON string, or null when S is NULL. */
void json_string_or_null(struct strbuf *sb, const char *s);

#endif
