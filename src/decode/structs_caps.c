/* capget and capset: the header {version, pid} and the capability sets,
 * as strace 6.1 prints them:
 * "{effective=1<<CAP_CHOWN|1<<CAP_KILL, permitted=..., inheritable=0}".
 *
 * The header's version says how many 32-bit words each set has (one for
 * _LINUX_CAPABILITY_VERSION_1, two for 2 and 3); the data is printed only
 * when the header can be read (at capget's exit: again, after the call),
 * else as its address. Bit N prints as "1<<" and the name of capability
 * N in the capability table. */
#include "structs.h"

#define CAP_VERSION_2 0x20071026
#define CAP_VERSION_3 0x20080522
#define CAP_DATA_WORDS 3   /* effective, permitted, inheritable */

/* The header's version, read again each time; false when the header
 * (all 8 bytes, as strace reads it) is unreadable. */
static bool read_cap_version(const struct arg_ctx *ctx, uint32_t *version)
{
	unsigned char b[8];
	uint64_t addr = ctx_arg(ctx, 0);
	if (!addr || !ctx_read(ctx, addr, b, sizeof b))
		return false;
	*version = (uint32_t)field_u(b, 0, 4);
	return true;
}

void print_cap_header(const struct arg_ctx *ctx)
{
	unsigned char b[8];
	if (!ctx_fetch(ctx, ctx->value, b, sizeof b))
		return;
	sb_puts(ctx->sb, "{version=");
	ctx_print_enum(ctx, &xlat_cap_version, field_u(b, 0, 4), NULL);
	sb_printf(ctx->sb, ", pid=%d}", (int)field_s(b, 4, 4));
}

/* One 32-bit word of a set, bits FIRST..FIRST+31, in the -X style. */
static void print_cap_word(const struct arg_ctx *ctx, uint32_t word,
			   unsigned first)
{
	struct strbuf *sb = ctx->sb;
	size_t mark = xlat_start(sb);
	uint32_t rest = 0;
	bool any = false;
	for (unsigned bit = 0; bit < 32; bit++) {
		if (!(word & (1u << bit)))
			continue;
		const char *name = xlat_name(&xlat_capability, first + bit);
		if (!name) {
			rest |= 1u << bit;
			continue;
		}
		sb_printf(sb, "%s1<<%s", any ? "|" : "", name);
		any = true;
	}
	if (!word)
		sb_putc(sb, '0');
	else if (!any)
		print_unknown(sb, rest, "CAP_???");
	else if (rest)
		sb_printf(sb, "|%#x", rest);
	xlat_finish(sb, ctx_xlat_style(ctx), mark, word);
}

/* strace prints the low word unless it is 0 and the high one is not. */
static void print_cap_set(const struct arg_ctx *ctx, uint32_t lo, uint32_t hi)
{
	if (lo || !hi)
		print_cap_word(ctx, lo, 0);
	if (hi) {
		if (lo)
			sb_putc(ctx->sb, '|');
		print_cap_word(ctx, hi, 32);
	}
}

static void print_cap_data(const struct arg_ctx *ctx)
{
	static const char *const names[CAP_DATA_WORDS] = {
		"effective", "permitted", "inheritable",
	};
	uint32_t version;
	if (!ctx->value || !read_cap_version(ctx, &version)) {
		ctx_print_ptr(ctx, ctx->value);
		return;
	}
	unsigned words = version == CAP_VERSION_2 || version == CAP_VERSION_3 ? 2 : 1;
	unsigned char b[2 * CAP_DATA_WORDS * 4];
	if (!ctx_fetch(ctx, ctx->value, b, words * CAP_DATA_WORDS * 4))
		return;
	sb_putc(ctx->sb, '{');
	for (unsigned i = 0; i < CAP_DATA_WORDS; i++) {
		uint32_t lo = (uint32_t)field_u(b, i * 4, 4);
		uint32_t hi = words > 1 ?
			(uint32_t)field_u(b, (CAP_DATA_WORDS + i) * 4, 4) : 0;
		sb_printf(ctx->sb, "%s%s=", i ? ", " : "", names[i]);
		print_cap_set(ctx, lo, hi);
	}
	sb_putc(ctx->sb, '}');
}

/* capset's sets, at entry. */
void print_cap_data_in(const struct arg_ctx *ctx)
{
	print_cap_data(ctx);
}

/* capget's sets, at exit: the address when the call failed. */
void print_cap_data_out(const struct arg_ctx *ctx)
{
	if (ctx->is_error)
		ctx_print_ptr(ctx, ctx->value);
	else
		print_cap_data(ctx);
}
