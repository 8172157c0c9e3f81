/* See escape.h. */
#include <stddef.h>
#include <stdint.h>

#include "escape.h"

void escape_text(FILE *f, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '\\')
			fputs("\\\\", f);
		else if (*p == '\n')
			fputs("\\n", f);
		else if (*p == '\t')
			fputs("\\t", f);
		else if (*p >= 0x20 && *p < 0x7f)
			putc(*p, f);
		else
			fprintf(f, "\\x%02x", *p);
	}
}

/* Length of the well-formed UTF-8 sequence at P (2 to 4), or 0: overlong
 * forms, surrogates and code points past U+10FFFF are not well-formed. */
static size_t utf8_sequence(const unsigned char *p, uint32_t *code)
{
	size_t len;
	uint32_t c, min;
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		len = 2; c = p[0] & 0x1f; min = 0x80;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		len = 3; c = p[0] & 0x0f; min = 0x800;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		len = 4; c = p[0] & 0x07; min = 0x10000;
	} else {
		return 0;
	}
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)   /* also stops at the final NUL */
			return 0;
		c = c << 6 | (p[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*code = c;
	return len;
}

void escape_json(FILE *f, const char *s)
{
	if (!s) {
		fputs("null", f);
		return;
	}
	putc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; ) {
		uint32_t code;
		size_t len;
		if (*p == '"' || *p == '\\') {
			putc('\\', f);
			putc(*p++, f);
		} else if (*p == '\n') {
			fputs("\\n", f);
			p++;
		} else if (*p >= 0x20 && *p < 0x7f) {
			putc(*p++, f);
		} else if (*p >= 0x80 && (len = utf8_sequence(p, &code)) != 0) {
			if (code < 0xa0)        /* C1 controls */
				fprintf(f, "\\u%04x", (unsigned)code);
			else
				fwrite(p, 1, len, f);
			p += len;
		} else {
			fprintf(f, "\\u%04x", *p++);
		}
	}
	putc('"', f);
}
