/* Quoting tracee bytes for output: every byte outside printable ASCII is
 * escaped, so nothing a tracee holds can reach a terminal raw. */
#ifndef PTRC_ESCAPE_H
#define PTRC_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>
#include "ptrc/strbuf.h"

enum escape_style {
	ESCAPE_C,          /* strace's default: \n \t \ooo */
	ESCAPE_HEX_NONASCII, /* -x: a string with any non-printable byte goes all \xNN */
	ESCAPE_HEX_ALL,    /* -xx: every byte \xNN */
};

/* Append BYTES as a double-quoted string. When TRUNCATED, "..." follows
 * the closing quote, as strace marks a string cut at -s. */
void escape_quoted(struct strbuf *sb, const char *bytes, size_t len,
		   enum escape_style style, bool truncated);

/* Append BYTES with control bytes and non-ASCII escaped but no quotes, for
 * names ptrc prints bare (comm, paths in messages). */
void escape_bare(struct strbuf *sb, const char *bytes, size_t len);

#endif
