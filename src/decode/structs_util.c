/* Helpers shared by the structure printers: bounded arrays, fields
 * by size, times, mode bits, signal masks. See structs.h. */
#include "structs.h"

#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ptrc/escape.h"
#include "ptrc/names.h"

bool ctx_verbose(const struct arg_ctx *ctx)
{
	const struct ptrc_config *config = ctx->d->config;
	const struct syscall_sig *sig = ctx->call->sig;
	if (config->abbrev_set && sig)  /* -e abbrev=SET */
		return !config_set_has(config->abbrev_set, ctx->call->arch,
				       (unsigned)(sig - syscall_sigs));
	return config->verbose;
}

uint64_t ctx_array_limit(const struct arg_ctx *ctx)
{
	if (ctx_verbose(ctx))
		return ARRAY_VERBOSE_MAX;
	return ctx->d->config->string_limit;
}

void ctx_print_ptr_array(const struct arg_ctx *ctx, uint64_t addr,
			 uint64_t limit, array_ptr_printer print, void *user)
{
	struct strbuf *sb = ctx->sb;
	unsigned w = ctx_word_size(ctx);
	if (!addr) {
		sb_puts(sb, "NULL");
		return;
	}
	if (!ctx_deref(ctx)) {  /* -e verbose= leaves this call out */
		ctx_print_ptr(ctx, addr);
		return;
	}
	for (uint64_t i = 0;; i++) {
		uint64_t at = addr + i * w;
		if (at < addr) {    /* wrapped around */
			sb_puts(sb, i ? ", ...]" : "[...]");
			return;
		}
		unsigned char word[8];
		if (!ctx_read(ctx, at, word, w)) {
			if (i == 0)
				ctx_print_ptr(ctx, addr);
			else
				sb_printf(sb, ", ... /* %#llx */]", (unsigned long long)at);
			return;
		}
		uint64_t p = field_u(word, 0, w);
		if (!p) {
			sb_puts(sb, i ? "]" : "[]");
			return;
		}
		if (i >= limit) {
			sb_puts(sb, ", ...]");
			return;
		}
		sb_puts(sb, i ? ", " : "[");
		print(ctx, p, user);
	}
}

uint64_t ctx_print_array(const struct arg_ctx *ctx, uint64_t addr,
			 uint64_t count, size_t elem_size, array_elem_printer print,
			 void *user)
{
	struct strbuf *sb = ctx->sb;
	if (!addr) {
		sb_puts(sb, "NULL");
		return 0;
	}
	if (count == 0) {
		sb_puts(sb, "[]");
		return 0;
	}
	/* An array that wraps around the address space cannot exist. */
	if (elem_size == 0 || elem_size > 256 || !ctx_deref(ctx) ||
	    count > UINT64_MAX / elem_size || addr + count * elem_size < addr) {
		ctx_print_ptr(ctx, addr);
		return 0;
	}
	uint64_t limit = ctx_array_limit(ctx);
	unsigned char elem[256];
	uint64_t i;
	for (i = 0; i < count; i++) {
		uint64_t at = addr + i * elem_size;
		if (i >= limit) {
			sb_puts(sb, ", ...");
			break;
		}
		if (!ctx_read(ctx, at, elem, elem_size)) {
			if (i == 0) {
				ctx_print_ptr(ctx, addr);
				return 0;
			}
			sb_printf(sb, ", ... /* %#llx */", (unsigned long long)at);
			break;
		}
		sb_puts(sb, i ? ", " : "[");
		if (!print(ctx, elem, user)) {
			i++;
			if (i < count)
				sb_puts(sb, ", ...");
			break;
		}
	}
	sb_putc(sb, ']');
	return i;
}

bool ctx_fetch(const struct arg_ctx *ctx, uint64_t addr, void *buf, size_t len)
{
	if (!addr) {
		sb_puts(ctx->sb, "NULL");
		return false;
	}
	if (!ctx_deref(ctx) || !ctx_read(ctx, addr, buf, len)) {
		ctx_print_ptr(ctx, addr);
		return false;
	}
	return true;
}

bool ctx_exit_ok(const struct arg_ctx *ctx)
{
	if (ctx->is_error) {
		ctx_print_ptr(ctx, ctx->value);
		return false;
	}
	return true;
}

uint64_t field_u(const void *buf, size_t offset, unsigned size)
{
	const unsigned char *p = (const unsigned char *)buf + offset;
	switch (size) {
	case 1: return p[0];
	case 2: { uint16_t v; memcpy(&v, p, 2); return v; }
	case 4: { uint32_t v; memcpy(&v, p, 4); return v; }
	default: { uint64_t v; memcpy(&v, p, 8); return v; }
	}
}

int64_t field_s(const void *buf, size_t offset, unsigned size)
{
	uint64_t v = field_u(buf, offset, size);
	switch (size) {
	case 1: return (int8_t)v;
	case 2: return (int16_t)v;
	case 4: return (int32_t)v;
	default: return (int64_t)v;
	}
}

void print_timespec_value(struct strbuf *sb, int64_t sec, uint64_t nsec)
{
	sb_printf(sb, "{tv_sec=%lld, tv_nsec=%llu}", (long long)sec,
		  (unsigned long long)nsec);
}

void print_timeval_value(struct strbuf *sb, int64_t sec, uint64_t usec)
{
	sb_printf(sb, "{tv_sec=%lld, tv_usec=%llu}", (long long)sec,
		  (unsigned long long)usec);
}

void print_time_comment(struct strbuf *sb, int64_t sec, uint64_t nsec)
{
	/* strace leaves the epoch itself (an unset btime) and a fraction
	 * out of range without comment */
	if ((sec == 0 && nsec == 0) || nsec > 999999999)
		return;
	time_t t = (time_t)sec;
	struct tm tm;
	if ((int64_t)t != sec || !localtime_r(&t, &tm))
		return;
	char date[64], zone[16];
	if (!strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm) ||
	    !strftime(zone, sizeof zone, "%z", &tm))
		return;
	if (nsec > 0)
		sb_printf(sb, " /* %s.%09llu%s */", date, (unsigned long long)nsec,
			  zone);
	else
		sb_printf(sb, " /* %s%s */", date, zone);
}

void print_clock_t(struct strbuf *sb, uint64_t ticks)
{
	static long hz;
	static int width;
	if (!hz) {
		hz = sysconf(_SC_CLK_TCK);
		if (hz <= 0)
			hz = -1;
		for (long v = hz; v >= 10 && width < 9; v /= 10)
			width++;
	}
	sb_printf(sb, "%llu", (unsigned long long)ticks);
	if (hz > 0 && ticks)
		sb_printf(sb, " /* %llu.%0*llu s */",
			  (unsigned long long)(ticks / (uint64_t)hz), width,
			  (unsigned long long)(ticks % (uint64_t)hz));
}

size_t ctx_timespec_size(const struct arg_ctx *ctx, bool wide)
{
	return wide ? 16 : 2 * ctx_word_size(ctx);
}

void ctx_print_timespec_buf(const struct arg_ctx *ctx, const void *buf, bool wide)
{
	unsigned w = wide ? 8 : ctx_word_size(ctx);
	print_timespec_value(ctx->sb, field_s(buf, 0, w), field_u(buf, w, w));
}

void ctx_print_timeval_buf(const struct arg_ctx *ctx, const void *buf)
{
	unsigned w = ctx_word_size(ctx);
	print_timeval_value(ctx->sb, field_s(buf, 0, w), field_u(buf, w, w));
}

/* strace's print_quoted_cstring: a field with no NUL shows LEN - 1 bytes
 * and "..." */
void ctx_print_fixed_string(const struct arg_ctx *ctx, const char *buf, size_t len)
{
	size_t n = strnlen(buf, len);
	bool cut = n == len;
	if (cut && n)
		n--;
	escape_quoted(ctx->sb, buf, n, ctx->d->config->escape, cut);
}

void print_mode_value(struct strbuf *sb, enum xlat_style style, uint32_t mode)
{
	const char *type = xlat_name(&xlat_file_type, mode & 0170000);
	if (!type || style == XLAT_STYLE_RAW) {
		sb_printf(sb, "%#03o", mode);
		return;
	}
	if (style == XLAT_STYLE_VERBOSE)
		sb_printf(sb, "%#03o /* ", mode);
	sb_puts(sb, type);
	print_flags_known(sb, &xlat_mode_bits, mode & 07000, true);
	sb_printf(sb, "|%#03o", mode & 0777);
	if (style == XLAT_STYLE_VERBOSE)
		sb_puts(sb, " */");
}

void ctx_print_dev(const struct arg_ctx *ctx, uint64_t dev)
{
	enum xlat_style style = ctx_xlat_style(ctx);
	if (style != XLAT_STYLE_ABBREV)
		sb_printf(ctx->sb, dev ? "%#llx" : "%llu", (unsigned long long)dev);
	if (style == XLAT_STYLE_RAW)
		return;
	if (style == XLAT_STYLE_VERBOSE)
		sb_puts(ctx->sb, " /* ");
	print_dev_value(ctx->sb, dev);
	if (style == XLAT_STYLE_VERBOSE)
		sb_puts(ctx->sb, " */");
}

void print_dev_value(struct strbuf *sb, uint64_t dev)
{
	unsigned long long major = ((dev >> 8) & 0xfff) | ((dev >> 32) & ~0xfffULL);
	unsigned long long minor = (dev & 0xff) | ((dev >> 12) & ~0xffULL);
	major &= 0xffffffffULL;
	minor &= 0xffffffffULL;
	sb_printf(sb, major ? "makedev(%#llx, " : "makedev(%llu, ", major);
	sb_printf(sb, minor ? "%#llx)" : "%llu)", minor);
}

/* Signal N's name without "SIG"; real-time signals as strace names them
 * (RTMIN for 32, RT_n above it). */
static void signal_short_name(struct strbuf *sb, int sig)
{
	const char *name = signal_name(sig);
	if (name)
		sb_puts(sb, name + 3);
	else if (sig == 32)
		sb_puts(sb, "RTMIN");
	else if (sig > 32)
		sb_printf(sb, "RT_%d", sig - 32);
	else
		sb_printf(sb, "%d", sig);
}

void print_sigmask(struct strbuf *sb, const uint8_t *mask, size_t len)
{
	size_t nbits = len * 8, set = 0;
	for (size_t i = 0; i < nbits; i++)
		set += (mask[i / 8] >> (i % 8)) & 1;
	bool complement = set * 2 > nbits;
	if (complement)
		sb_putc(sb, '~');
	sb_putc(sb, '[');
	bool first = true;
	for (size_t i = 0; i < nbits; i++) {
		bool bit = (mask[i / 8] >> (i % 8)) & 1;
		if (bit == complement)
			continue;
		if (!first)
			sb_putc(sb, ' ');
		first = false;
		signal_short_name(sb, (int)i + 1);
	}
	sb_putc(sb, ']');
}
