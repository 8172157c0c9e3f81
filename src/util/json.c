/* See ptrc/json.h for the escaping policy. */
#include "ptrc/json.h"

#include <string.h>

void json_string(struct strbuf *sb, const char *bytes, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	sb_reserve(sb, len + 2);
	sb_putc(sb, '"');
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)bytes[i];
		if (c == '"' || c == '\\') {
			sb_putc(sb, '\\');
			sb_putc(sb, (char)c);
		} else if (c >= 0x20 && c < 0x7f) {
			sb_putc(sb, (char)c);
		} else {
			char esc[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
			sb_putn(sb, esc, 6);
		}
	}
	sb_putc(sb, '"');
}

void json_string_or_null(struct strbuf *sb, const char *s)
{
	if (s)
		json_string(sb, s, strlen(s));
	else
		sb_puts(sb, "null");
}
