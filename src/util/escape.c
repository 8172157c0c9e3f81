/* See ptrc/escape.h. */
#include "ptrc/escape.h"

#include <string.h>

static const char hex_digits[] = "0123456789abcdef";

static bool printable(unsigned char c)
{
	return c >= 0x20 && c < 0x7f;
}

/* The escapes below write straight into room reserved beforehand (at most
 * four bytes per input byte): a syscall's buffer is the longest text of
 * its line, and a call per output byte was most of its cost. */
static char *put_hex(char *out, unsigned char c)
{
	*out++ = '\\';
	*out++ = 'x';
	*out++ = hex_digits[c >> 4];
	*out++ = hex_digits[c & 15];
	return out;
}

/* \ooo with as few digits as can be read back unambiguously: three when
 * the next byte is itself an octal digit. */
static char *put_octal(char *out, unsigned char c, int next)
{
	*out++ = '\\';
	bool full = next >= '0' && next <= '7';
	if (full || c >= 64)
		*out++ = (char)('0' + (c >> 6));
	if (full || c >= 8)
		*out++ = (char)('0' + ((c >> 3) & 7));
	*out++ = (char)('0' + (c & 7));
	return out;
}

/* The two-character escape of C, or 0. */
static char short_escape(unsigned char c)
{
	switch (c) {
	case '"':  return '"';
	case '\\': return '\\';
	case '\n': return 'n';
	case '\t': return 't';
	case '\r': return 'r';
	case '\v': return 'v';
	case '\f': return 'f';
	}
	return 0;
}

static char *put_escaped(char *out, const unsigned char *s, size_t len,
			 bool all_hex)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = s[i];
		char e;
		if (all_hex)
			out = put_hex(out, c);
		else if (printable(c) && c != '"' && c != '\\')
			*out++ = (char)c;
		else if ((e = short_escape(c)) != 0) {
			*out++ = '\\';
			*out++ = e;
		} else
			out = put_octal(out, c, i + 1 < len ? s[i + 1] : -1);
	}
	return out;
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
	sb_reserve(sb, len * 4 + 5);
	char *out = sb->data + sb->len;
	*out++ = '"';
	out = put_escaped(out, s, len, all_hex);
	*out++ = '"';
	if (truncated) {
		memcpy(out, "...", 3);
		out += 3;
	}
	*out = '\0';
	sb->len = (size_t)(out - sb->data);
}

void escape_bare(struct strbuf *sb, const char *bytes, size_t len)
{
	const unsigned char *s = (const unsigned char *)bytes;
	for (size_t i = 0; i < len; i++) {
		if (printable(s[i]) && s[i] != '\\')
			sb_putc(sb, (char)s[i]);
		else {
			char esc[4];
			sb_putn(sb, esc, (size_t)(put_hex(esc, s[i]) - esc));
		}
	}
}

void escape_bare_str(struct strbuf *sb, const char *s)
{
	if (s)
		escape_bare(sb, s, strlen(s));
}
