/* See ptrc/escape.h. */
#include "ptrc/escape.h"

#include <string.h>

static const char hex_digits[] = "0123456789abcdef";

static bool printable(unsigned char c)
{
	return c >= 0x20 && c < 0x7f;
}

static void put_hex(struct strbuf *sb, unsigned char c)
{
	char esc[4] = { '\\', 'x', hex_digits[c >> 4], hex_digits[c & 15] };
	sb_putn(sb, esc, 4);
}

/* \ooo with as few digits as can be read back unambiguously: three when
 * the next byte is itself an octal digit. */
static void put_octal(struct strbuf *sb, unsigned char c, int next)
{
	char esc[4];
	size_t n = 0;
	esc[n++] = '\\';
	bool full = next >= '0' && next <= '7';
	if (full || c >= 64)
		esc[n++] = (char)('0' + (c >> 6));
	if (full || c >= 8)
		esc[n++] = (char)('0' + ((c >> 3) & 7));
	esc[n++] = (char)('0' + (c & 7));
	sb_putn(sb, esc, n);
}

void escape_quoted(struct strbuf *sb, const char *bytes, size_t len,
		   enum escape_style style, bool truncated)
{
	const unsigned char *s = (const unsigned char *)bytes;
	bool all_hex = style == ESCAPE_HEX_ALL;
	if (style == ESCAPE_HEX_NONASCII) {
		for (size_t i = 0; i < len && !all_hex; i++)
			if (!printable(s[i]) && s[i] != '\n' && s[i] != '\t')
				all_hex = true;
	}
	sb_reserve(sb, len + 8);
	sb_putc(sb, '"');
	for (size_t i = 0; i < len; i++) {
		unsigned char c = s[i];
		if (all_hex) {
			put_hex(sb, c);
			continue;
		}
		switch (c) {
		case '"':  sb_putn(sb, "\\\"", 2); continue;
		case '\\': sb_putn(sb, "\\\\", 2); continue;
		case '\n': sb_putn(sb, "\\n", 2); continue;
		case '\t': sb_putn(sb, "\\t", 2); continue;
		case '\r': sb_putn(sb, "\\r", 2); continue;
		case '\v': sb_putn(sb, "\\v", 2); continue;
		case '\f': sb_putn(sb, "\\f", 2); continue;
		}
		if (printable(c))
			sb_putc(sb, (char)c);
		else
			put_octal(sb, c, i + 1 < len ? s[i + 1] : -1);
	}
	sb_putc(sb, '"');
	if (truncated)
		sb_putn(sb, "...", 3);
}

void escape_bare(struct strbuf *sb, const char *bytes, size_t len)
{
	const unsigned char *s = (const unsigned char *)bytes;
	for (size_t i = 0; i < len; i++) {
		if (printable(s[i]) && s[i] != '\\')
			sb_putc(sb, (char)s[i]);
		else
			put_hex(sb, s[i]);
	}
}

void escape_bare_str(struct strbuf *sb, const char *s)
{
	if (s)
		escape_bare(sb, s, strlen(s));
}
