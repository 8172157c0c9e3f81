#include "ptrc/strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sb_init(struct strbuf *sb)
{
	sb->data = NULL;
	sb->len = 0;
	sb->cap = 0;
}

void sb_free(struct strbuf *sb)
{
	free(sb->data);
	sb_init(sb);
}

void sb_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->data)
		sb->data[0] = '\0';
}

void sb_reserve(struct strbuf *sb, size_t n)
{
	if (sb->len + n + 1 <= sb->cap)
		return;
	size_t cap = sb->cap ? sb->cap : 256;
	while (cap < sb->len + n + 1)
		cap *= 2;
	char *data = realloc(sb->data, cap);
	if (!data) {
		fputs("ptrc: out of memory\n", stderr);
		abort();
	}
	sb->data = data;
	sb->cap = cap;
}

void sb_putc(struct strbuf *sb, char c)
{
	if (sb->len + 2 > sb->cap)
		sb_reserve(sb, 1);
	sb->data[sb->len++] = c;
	sb->data[sb->len] = '\0';
}

void sb_putn(struct strbuf *sb, const char *s, size_t n)
{
	sb_reserve(sb, n);
	memcpy(sb->data + sb->len, s, n);
	sb->len += n;
	sb->data[sb->len] = '\0';
}

void sb_puts(struct strbuf *sb, const char *s)
{
	sb_putn(sb, s, strlen(s));
}

/* The digits of V in BASE (10, 16 or 8), most significant first, at the
 * end of BUF[24]; returns where they start. */
static char *digits_of(char buf[24], unsigned long long v, unsigned base)
{
	static const char digit[] = "0123456789abcdef";
	char *p = buf + 24;
	do {
		*--p = digit[v % base];
		v /= base;
	} while (v);
	return p;
}

/* The numbers of every syscall line are put without printf's format
 * parsing, a third of ptrc's own instructions per traced syscall before. */
void sb_put_udec(struct strbuf *sb, unsigned long long v)
{
	char buf[24];
	char *p = digits_of(buf, v, 10);
	sb_putn(sb, p, (size_t)(buf + 24 - p));
}

void sb_put_dec(struct strbuf *sb, long long v)
{
	if (v < 0) {
		sb_putc(sb, '-');
		sb_put_udec(sb, 0ULL - (unsigned long long)v);
	} else {
		sb_put_udec(sb, (unsigned long long)v);
	}
}

void sb_put_dec_pad(struct strbuf *sb, long long v, int width)
{
	char buf[25];
	unsigned long long mag = v < 0 ? 0ULL - (unsigned long long)v
				       : (unsigned long long)v;
	char *p = digits_of(buf + 1, mag, 10);
	if (v < 0)
		*--p = '-';
	size_t n = (size_t)(buf + 25 - p);
	size_t pad = (size_t)(width < 0 ? -width : width);
	pad = pad > n ? pad - n : 0;
	for (size_t i = 0; width > 0 && i < pad; i++)
		sb_putc(sb, ' ');
	sb_putn(sb, p, n);
	for (size_t i = 0; width < 0 && i < pad; i++)
		sb_putc(sb, ' ');
}

void sb_put_hex(struct strbuf *sb, unsigned long long v)
{
	if (!v) {
		sb_putc(sb, '0');
		return;
	}
	char buf[24];
	char *p = digits_of(buf, v, 16);
	sb_putn(sb, "0x", 2);
	sb_putn(sb, p, (size_t)(buf + 24 - p));
}

static void sb_vprintf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list again;
	va_copy(again, ap);
	sb_reserve(sb, 64);
	int n = vsnprintf(sb->data + sb->len, sb->cap - sb->len, fmt, ap);
	if (n < 0) {
		va_end(again);
		return;
	}
	if ((size_t)n >= sb->cap - sb->len) {
		sb_reserve(sb, (size_t)n);
		vsnprintf(sb->data + sb->len, sb->cap - sb->len, fmt, again);
	}
	sb->len += (size_t)n;
	va_end(again);
}

void sb_printf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sb_vprintf(sb, fmt, ap);
	va_end(ap);
}
