/* struct timex (adjtimex, clock_adjtime), printed at exit as strace 6.1
 * prints it, and the clock state the calls return: "= 5 (TIME_ERROR)".
 *
 * Two layouts: the kernel's 64-bit one (every field a long long but
 * modes, status, shift and tai, which are ints padded to 8 bytes), used by
 * 64-bit tracees and i386's clock_adjtime64; and i386's old one, every
 * field an int. strace reads the whole struct, padding included: a struct
 * that is not readable to its end prints as the address. */
#include "structs.h"

#include <string.h>

#define TIMEX64_SIZE 208
#define TIMEX32_SIZE 128

enum timex_field_type { TX_DEC, TX_MODES, TX_STATUS, TX_TIME };

struct timex_field {
	const char *name;
	enum timex_field_type type;
	unsigned char off64, size64;   /* the 64-bit layout */
	unsigned char off32;           /* i386: every field 4 bytes */
};

/* In print order. TX_TIME: tv_sec and tv_usec, each of the size given. */
static const struct timex_field timex_fields[] = {
	{ "modes", TX_MODES, 0, 4, 0 },
	{ "offset", TX_DEC, 8, 8, 4 },
	{ "freq", TX_DEC, 16, 8, 8 },
	{ "maxerror", TX_DEC, 24, 8, 12 },
	{ "esterror", TX_DEC, 32, 8, 16 },
	{ "status", TX_STATUS, 40, 4, 20 },
	{ "constant", TX_DEC, 48, 8, 24 },
	{ "precision", TX_DEC, 56, 8, 28 },
	{ "tolerance", TX_DEC, 64, 8, 32 },
	{ "time", TX_TIME, 72, 8, 36 },
	{ "tick", TX_DEC, 88, 8, 44 },
	{ "ppsfreq", TX_DEC, 96, 8, 48 },
	{ "jitter", TX_DEC, 104, 8, 52 },
	{ "shift", TX_DEC, 112, 4, 56 },
	{ "stabil", TX_DEC, 120, 8, 60 },
	{ "jitcnt", TX_DEC, 128, 8, 64 },
	{ "calcnt", TX_DEC, 136, 8, 68 },
	{ "errcnt", TX_DEC, 144, 8, 72 },
	{ "stbcnt", TX_DEC, 152, 8, 76 },
	{ "tai", TX_DEC, 160, 4, 80 },
};

static void print_timex(const struct arg_ctx *ctx, bool wide)
{
	unsigned char b[TIMEX64_SIZE];
	size_t size = wide ? TIMEX64_SIZE : TIMEX32_SIZE;
	if (!ctx_exit_ok(ctx) || !ctx_fetch(ctx, ctx->value, b, size))
		return;
	struct strbuf *sb = ctx->sb;
	sb_putc(sb, '{');
	for (size_t i = 0; i < ARRAY_COUNT(timex_fields); i++) {
		const struct timex_field *f = &timex_fields[i];
		size_t off = wide ? f->off64 : f->off32;
		unsigned fsize = wide ? f->size64 : 4;
		sb_printf(sb, "%s%s=", i ? ", " : "", f->name);
		switch (f->type) {
		case TX_MODES:
			ctx_print_flags(ctx, &xlat_adjtimex_modes,
					(uint32_t)field_u(b, off, 4));
			break;
		case TX_STATUS:
			ctx_print_flags(ctx, &xlat_adjtimex_status,
					(uint32_t)field_u(b, off, 4));
			break;
		case TX_TIME:
			/* strace prints tv_usec unsigned */
			sb_printf(sb, "{tv_sec=%lld, tv_usec=%llu}",
				  (long long)field_s(b, off, fsize),
				  (unsigned long long)field_u(b, off + fsize, fsize));
			break;
		case TX_DEC:
			sb_printf(sb, "%lld", (long long)field_s(b, off, fsize));
			break;
		}
	}
	sb_putc(sb, '}');
}

/* adjtimex, clock_adjtime: the tracee's own layout (i386's old one). */
void print_timex_out(const struct arg_ctx *ctx)
{
	print_timex(ctx, ctx_word_size(ctx) == 8);
}

/* i386's clock_adjtime64: the 64-bit layout. */
void print_timex64_out(const struct arg_ctx *ctx)
{
	print_timex(ctx, true);
}

/* The clock state, named when the table has it (strace's auxstr, whatever
 * the -X style). */
bool ret_timex_out(struct strbuf *sb, enum xlat_style style,
		   const struct syscall_call *call, unsigned index,
		   int64_t rval)
{
	(void)style;
	(void)call;
	(void)index;
	const char *name = xlat_name(&xlat_adjtimex_state, (uint64_t)rval);
	if (!name)
		return false;
	sb_printf(sb, "%lld (%s)", (long long)rval, name);
	return true;
}
