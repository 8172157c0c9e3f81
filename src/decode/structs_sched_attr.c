/* struct sched_attr (sched_setattr, sched_getattr), as strace 6.1 prints
 * it: "{size=56, sched_policy=SCHED_OTHER, sched_flags=0, sched_nice=0,
 * sched_priority=0, sched_runtime=0, sched_deadline=0, sched_period=0,
 * sched_util_min=0, sched_util_max=0}".
 *
 * The struct says its own size: 48 bytes without the utilization clamps,
 * 56 with them. sched_setattr's keep flags leave out what the kernel
 * ignores; a size larger than ptrc knows ends in "...". When the kernel
 * refuses the size (E2BIG) it writes its own there: "=> {size=56}". */
#include "structs.h"

#include <errno.h>

#define SCHED_ATTR_SIZE_VER0 48
#define SCHED_ATTR_SIZE_VER1 56
#define SCHED_FLAG_KEEP_POLICY 0x08
#define SCHED_FLAG_KEEP_PARAMS 0x10

/* SIZE bytes of B (at most 56) as strace prints them; SHOWN_SIZE in the
 * size field; WANTED > SIZE adds "...". SETTING: sched_setattr's rules. */
static void print_sched_attr_fields(const struct arg_ctx *ctx,
				    const unsigned char *b, uint32_t shown_size,
				    uint64_t size, uint64_t wanted, bool setting)
{
	struct strbuf *sb = ctx->sb;
	sb_printf(sb, "{size=%u", shown_size);
	if (size >= SCHED_ATTR_SIZE_VER0) {
		uint32_t policy = (uint32_t)field_u(b, 4, 4);
		uint64_t flags = field_u(b, 8, 8);
		if (!setting || (int32_t)policy < 0 ||
		    !(flags & (SCHED_FLAG_KEEP_POLICY | SCHED_FLAG_KEEP_PARAMS))) {
			sb_puts(sb, ", sched_policy=");
			ctx_print_enum(ctx, &xlat_sched_policy, policy, NULL);
		}
		sb_puts(sb, ", sched_flags=");
		ctx_print_flags(ctx, &xlat_sched_attr_flags, flags);
		if (!setting || !(flags & SCHED_FLAG_KEEP_PARAMS))
			sb_printf(sb, ", sched_nice=%d, sched_priority=%u, "
				  "sched_runtime=%llu, sched_deadline=%llu, "
				  "sched_period=%llu", (int)field_s(b, 16, 4),
				  (unsigned)field_u(b, 20, 4),
				  (unsigned long long)field_u(b, 24, 8),
				  (unsigned long long)field_u(b, 32, 8),
				  (unsigned long long)field_u(b, 40, 8));
		if (size >= SCHED_ATTR_SIZE_VER1)
			sb_printf(sb, ", sched_util_min=%u, sched_util_max=%u",
				  (unsigned)field_u(b, 48, 4),
				  (unsigned)field_u(b, 52, 4));
	}
	if (wanted > size)
		sb_puts(sb, ", ...");
	sb_putc(sb, '}');
}

/* sched_setattr: the size the struct gives decides how much is read. */
static void print_sched_attr_set(const struct arg_ctx *ctx, uint32_t usize)
{
	unsigned char b[SCHED_ATTR_SIZE_VER1] = { 0 };
	uint32_t want = usize ? usize : SCHED_ATTR_SIZE_VER0;
	uint32_t size = want < sizeof b ? want : (uint32_t)sizeof b;
	if (size >= SCHED_ATTR_SIZE_VER0 && !ctx_fetch(ctx, ctx->value, b, size))
		return;
	print_sched_attr_fields(ctx, b, usize, size, want, true);
}

/* Saved at entry: the size sched_setattr's struct gives, which the kernel
 * overwrites when it refuses it. */
void entry_save_sched_attr(const struct arg_ctx *ctx)
{
	uint32_t usize;
	if (ctx_read(ctx, ctx->value, &usize, sizeof usize))
		ctx_save(ctx, usize);
}

/* sched_setattr's struct, printed at exit from what was saved at entry
 * (the address when its size could not be read then). */
void print_sched_attr_in(const struct arg_ctx *ctx)
{
	uint64_t usize;
	if (!ctx->value) {
		sb_puts(ctx->sb, "NULL");
		return;
	}
	if (!ctx_saved(ctx, &usize)) {
		ctx_print_ptr(ctx, ctx->value);
		return;
	}
	print_sched_attr_set(ctx, (uint32_t)usize);
	uint32_t now;
	if (ctx->is_error && -ctx->rval == E2BIG &&
	    ctx_read(ctx, ctx->value, &now, sizeof now))
		sb_printf(ctx->sb, " => {size=%u}", now);
}

/* sched_getattr's struct at exit: SIZE (argument 2) bytes at most, then
 * what the kernel says it wrote. */
void print_sched_attr_out(const struct arg_ctx *ctx)
{
	uint32_t usize = (uint32_t)ctx_arg(ctx, 2);
	if (!usize) {
		ctx_print_ptr(ctx, ctx->value);
		return;
	}
	if (!ctx_exit_ok(ctx))
		return;
	unsigned char b[SCHED_ATTR_SIZE_VER1] = { 0 };
	uint32_t size = usize < sizeof b ? usize : (uint32_t)sizeof b;
	if (!ctx_fetch(ctx, ctx->value, b, size))
		return;
	uint32_t written = (uint32_t)field_u(b, 0, 4);
	print_sched_attr_fields(ctx, b, written, written, written, false);
}
