/* Time structures: timespec, timeval, itimerspec, itimerval, and the
 * timestamp pairs of utimensat/utimes.
 *
 * Layouts: struct timespec and timeval are two longs (4 bytes each on
 * i386); the "64" kinds are the kernel's __kernel_timespec (two 64-bit
 * fields) on every arch. */
#include "structs.h"

#include <string.h>

#define UTIME_NOW_VALUE  ((1LL << 30) - 1)
#define UTIME_OMIT_VALUE ((1LL << 30) - 2)

static const char *const sleep_calls[] = {
	"nanosleep", "clock_nanosleep", "clock_nanosleep_time64",
};

/* nanosleep's second timespec is filled only when the sleep was
 * interrupted (an ERESTART* return); otherwise it holds whatever the
 * program left there, and strace shows its address. */
static bool is_sleep_remainder(const struct arg_ctx *ctx)
{
	const char *name = ctx->call->sig->name;
	for (size_t i = 0; i < ARRAY_COUNT(sleep_calls); i++)
		if (!strcmp(name, sleep_calls[i]))
			return true;
	return false;
}

/* futex's fourth argument is a timeout only for the waiting ops; the
 * requeue ops pass a count (val2) there. */
static bool futex_arg_is_count(const struct arg_ctx *ctx)
{
	const char *name = ctx->call->sig->name;
	if (strcmp(name, "futex") && strcmp(name, "futex_time64"))
		return false;
	unsigned cmd = (unsigned)ctx_arg(ctx, 1) & 0x7f;
	/* WAIT, LOCK_PI, WAIT_BITSET, WAIT_REQUEUE_PI, LOCK_PI2 */
	return !(cmd == 0 || cmd == 6 || cmd == 9 || cmd == 11 || cmd == 13);
}

static void print_timespec_at(const struct arg_ctx *ctx, uint64_t addr,
			      bool wide)
{
	unsigned char buf[16];
	if (ctx_fetch(ctx, addr, buf, ctx_timespec_size(ctx, wide)))
		ctx_print_timespec_buf(ctx, buf, wide);
}

static void timespec_in(const struct arg_ctx *ctx, bool wide)
{
	if (futex_arg_is_count(ctx)) {
		/* val2, a u32 the kernel takes from the pointer's register */
		sb_printf(ctx->sb, "%u", (unsigned)ctx->value);
		return;
	}
	print_timespec_at(ctx, ctx->value, wide);
}

static void timespec_out(const struct arg_ctx *ctx, bool wide)
{
	if (is_sleep_remainder(ctx)) {
		bool restarted = ctx->is_error && ctx->rval <= -512 &&
				 ctx->rval >= -516;
		if (!restarted) {
			ctx_print_ptr(ctx, ctx->value);
			return;
		}
	} else if (!ctx_exit_ok(ctx)) {
		return;
	}
	print_timespec_at(ctx, ctx->value, wide);
}

void print_timespec_in(const struct arg_ctx *ctx) { timespec_in(ctx, false); }
void print_timespec64_in(const struct arg_ctx *ctx) { timespec_in(ctx, true); }
void print_timespec_out(const struct arg_ctx *ctx) { timespec_out(ctx, false); }
void print_timespec64_out(const struct arg_ctx *ctx) { timespec_out(ctx, true); }

static void print_timeval_at(const struct arg_ctx *ctx, uint64_t addr)
{
	unsigned char buf[16];
	if (ctx_fetch(ctx, addr, buf, 2 * ctx_word_size(ctx)))
		ctx_print_timeval_buf(ctx, buf);
}

void print_timeval_in(const struct arg_ctx *ctx)
{
	print_timeval_at(ctx, ctx->value);
}

void print_timeval_out(const struct arg_ctx *ctx)
{
	if (ctx_exit_ok(ctx))
		print_timeval_at(ctx, ctx->value);
}

/* {it_interval=..., it_value=...}: two timespecs or two timevals. */
static void print_interval_pair(const struct arg_ctx *ctx, bool timespec,
				bool wide)
{
	size_t one = timespec ? ctx_timespec_size(ctx, wide)
			      : 2 * (size_t)ctx_word_size(ctx);
	unsigned char buf[32];
	if (!ctx_fetch(ctx, ctx->value, buf, 2 * one))
		return;
	sb_puts(ctx->sb, "{it_interval=");
	if (timespec)
		ctx_print_timespec_buf(ctx, buf, wide);
	else
		ctx_print_timeval_buf(ctx, buf);
	sb_puts(ctx->sb, ", it_value=");
	if (timespec)
		ctx_print_timespec_buf(ctx, buf + one, wide);
	else
		ctx_print_timeval_buf(ctx, buf + one);
	sb_putc(ctx->sb, '}');
}

void print_itimerspec_in(const struct arg_ctx *ctx)
{
	print_interval_pair(ctx, true, false);
}

void print_itimerspec64_in(const struct arg_ctx *ctx)
{
	print_interval_pair(ctx, true, true);
}

void print_itimerspec_out(const struct arg_ctx *ctx)
{
	if (ctx_exit_ok(ctx))
		print_interval_pair(ctx, true, false);
}

void print_itimerspec64_out(const struct arg_ctx *ctx)
{
	if (ctx_exit_ok(ctx))
		print_interval_pair(ctx, true, true);
}

void print_itimerval_in(const struct arg_ctx *ctx)
{
	print_interval_pair(ctx, false, false);
}

void print_itimerval_out(const struct arg_ctx *ctx)
{
	if (ctx_exit_ok(ctx))
		print_interval_pair(ctx, false, false);
}

/* utimensat: [{tv_sec=.., tv_nsec=..} DATE-COMMENT, UTIME_NOW] */
static void utimens(const struct arg_ctx *ctx, bool wide)
{
	size_t one = ctx_timespec_size(ctx, wide);
	unsigned w = wide ? 8 : ctx_word_size(ctx);
	unsigned char buf[32];
	if (!ctx_fetch(ctx, ctx->value, buf, 2 * one))
		return;
	sb_putc(ctx->sb, '[');
	for (int i = 0; i < 2; i++) {
		int64_t sec = field_s(buf, i * one, w);
		int64_t nsec = field_s(buf, i * one + w, w);
		uint64_t unsigned_nsec = field_u(buf, i * one + w, w);
		if (i)
			sb_puts(ctx->sb, ", ");
		if (nsec == UTIME_NOW_VALUE) {
			sb_puts(ctx->sb, "UTIME_NOW");
		} else if (nsec == UTIME_OMIT_VALUE) {
			sb_puts(ctx->sb, "UTIME_OMIT");
		} else {
			print_timespec_value(ctx->sb, sec, unsigned_nsec);
			print_time_comment(ctx->sb, sec, unsigned_nsec);
		}
	}
	sb_putc(ctx->sb, ']');
}

void print_utimens_in(const struct arg_ctx *ctx) { utimens(ctx, false); }
void print_utimens64_in(const struct arg_ctx *ctx) { utimens(ctx, true); }

/* utimes, futimesat: [{tv_sec=.., tv_usec=..}, {...}] */
void print_utimes_in(const struct arg_ctx *ctx)
{
	unsigned w = ctx_word_size(ctx);
	unsigned char buf[32];
	if (!ctx_fetch(ctx, ctx->value, buf, 4 * (size_t)w))
		return;
	sb_putc(ctx->sb, '[');
	for (unsigned i = 0; i < 2; i++) {
		int64_t sec = field_s(buf, 2 * i * w, w);
		uint64_t usec = field_u(buf, (2 * i + 1) * w, w);
		if (i)
			sb_puts(ctx->sb, ", ");
		print_timeval_value(ctx->sb, sec, usec);
		print_time_comment(ctx->sb, sec, usec < 1000000 ? usec * 1000
							      : UINT64_MAX);
	}
	sb_putc(ctx->sb, ']');
}
