/* Chars and strings as gdb prints them: see value_string.h. */
#include "value_string.h"

#include <string.h>

/* One byte as gdb writes it inside QUOTE-delimited text. */
void value_put_char(struct strbuf *sb, uint8_t c, char quote)
{
	static const char named[] = "\a a\b b\f f\n n\r r\t t\v v";
	const char *p = c ? memchr(named, c, sizeof named - 1) : NULL;
	if (p && (p - named) % 3 == 0) {
		sb_putc(sb, '\\');
		sb_putc(sb, p[2]);
	} else if (c == quote || c == '\\') {
		sb_putc(sb, '\\');
		sb_putc(sb, (char)c);
	} else if (c >= 0x20 && c < 0x7f) {
		sb_putc(sb, (char)c);
	} else {
		sb_printf(sb, "\\%03o", c);
	}
}

/* BYTES as gdb prints a string: quoted runs, and runs of more than
 * VALUE_REPEATS equal bytes as 'c' <repeats N times>, ", " between. As in
 * gdb, a repeat block counts VALUE_REPEATS towards VALUE_MAX_CHARS; "..."
 * when the limit cut the string or TRUNCATED says it went on. */
void value_put_string(struct strbuf *sb, const uint8_t *bytes, size_t len,
		bool truncated)
{
	bool quoted = false, any = false;
	size_t things = 0, i = 0;
	if (len == 0)
		sb_puts(sb, "\"\"");
	while (i < len && things < VALUE_MAX_CHARS) {
		size_t run = 1;
		while (i + run < len && bytes[i + run] == bytes[i])
			run++;
		if (run > VALUE_REPEATS) {
			if (quoted)
				sb_putc(sb, '"');
			sb_puts(sb, any ? ", '" : "'");
			value_put_char(sb, bytes[i], '\'');
			sb_printf(sb, "' <repeats %zu times>", run);
			quoted = false;
			any = true;
			i += run;
			things += VALUE_REPEATS;
			continue;
		}
		if (!quoted) {
			sb_puts(sb, any ? ", \"" : "\"");
			quoted = any = true;
		}
		value_put_char(sb, bytes[i], '"');
		i++;
		things++;
	}
	if (quoted)
		sb_putc(sb, '"');
	if (truncated || i < len)
		sb_puts(sb, "...");
}

