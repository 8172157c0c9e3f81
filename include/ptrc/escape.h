/* Quoting tracee bytes for text output (src/util/escape.c): every byte
 * outside printable ASCII is escaped, so nothing a tracee holds can reach a
 * terminal raw. JSON strings have their own escaper, ptrc/json.h. */
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

/* Append BYTES without quotes, for names ptrc prints bare (comm, paths in
 * messages, stack frames): printable ASCII as is, every other byte and the
 * backslash as \xHH, so a name can neither move the cursor nor pose as
 * another line. */
void escape_bare(struct strbuf *sb, const char *bytes, size_t len);
/* escape_bare of the NUL-terminated S; nothing for NULL. */
void escape_bare_str(struct strbuf *sb, const char *s);

#endif
