/* A growable byte buffer for building output lines. Reused across events so
 * the hot path does not allocate once it has grown to its working size. */
#ifndef PTRC_STRBUF_H
#define PTRC_STRBUF_H

#include <stddef.h>

struct strbuf {
	char *data;   /* always NUL-terminated when len > 0 or after any append */
	size_t len;
	size_t cap;
};

void sb_init(struct strbuf *sb);
void sb_free(struct strbuf *sb);
void sb_reset(struct strbuf *sb);
/* Make room for N more bytes; aborts on out-of-memory. */
void sb_reserve(struct strbuf *sb, size_t n);
void sb_putc(struct strbuf *sb, char c);
void sb_putn(struct strbuf *sb, const char *s, size_t n);
void sb_puts(struct strbuf *sb, const char *s);
/* Numbers as printf's "%lld", "%llu", "%#llx" put them (sb_put_hex(0) is
 * "0"); sb_put_dec_pad as "%*lld": WIDTH < 0 pads on the right ("%-5d"). */
void sb_put_dec(struct strbuf *sb, long long v);
void sb_put_udec(struct strbuf *sb, unsigned long long v);
void sb_put_dec_pad(struct strbuf *sb, long long v, int width);
void sb_put_hex(struct strbuf *sb, unsigned long long v);
void sb_printf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
