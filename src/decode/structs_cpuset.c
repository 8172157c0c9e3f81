/* sched_setaffinity/sched_getaffinity: the CPU mask as the list of set
 * bits, as strace 6.1 prints it: "[0 1 2 3]", "[0 ...]" when the mask is
 * longer than the kernel's cpumask (strace reads no more than that size,
 * found by probing sched_getaffinity with a NULL mask), "[]" for a length
 * of 0, the address when unreadable, NULL or the call failed. At exit the
 * length is the return value (the bytes the kernel stored). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "structs.h"

#include <errno.h>
#include <sched.h>
#include <string.h>

/* The smallest mask size the kernel accepts: sched_getaffinity with a
 * NULL mask fails with EINVAL below it, EFAULT from it on. */
static uint32_t kernel_cpuset_size(void)
{
	static uint32_t size;
	if (!size) {
		uint32_t s = 128;
		while (s && sched_getaffinity(0, s, NULL) == -1 && errno == EINVAL)
			s <<= 1;
		size = s ? s : 128;
	}
	return size;
}

static void print_cpuset(const struct arg_ctx *ctx, uint32_t len)
{
	if (!ctx->value || (ctx->exiting && ctx->is_error) || !ctx_deref(ctx)) {
		ctx_print_ptr(ctx, ctx->value);
		return;
	}
	if (!len) {
		sb_puts(ctx->sb, "[]");
		return;
	}
	uint32_t max = kernel_cpuset_size();
	uint32_t want = len < max ? len : max;
	unsigned w = ctx_word_size(ctx);
	uint32_t size = (want + w - 1) / w * w;
	unsigned char *bits = (unsigned char *)ctx_scratch(ctx, size);
	memset(bits, 0, size);
	if (!ctx_read(ctx, ctx->value, bits, want)) {
		ctx_print_ptr(ctx, ctx->value);
		return;
	}
	bool printed = false;
	sb_putc(ctx->sb, '[');
	for (uint32_t i = 0; i < size * 8; i++) {
		if (!(bits[i / 8] >> (i % 8) & 1))
			continue;
		sb_printf(ctx->sb, printed ? " %u" : "%u", i);
		printed = true;
	}
	if (size < len)
		sb_puts(ctx->sb, printed ? " ..." : "...");
	sb_putc(ctx->sb, ']');
}

/* sched_setaffinity: aux names the length (an unsigned int). */
void print_cpuset_in(const struct arg_ctx *ctx)
{
	uint8_t aux = ctx->call->sig->aux[ctx->index];
	print_cpuset(ctx, aux < SYSCALL_MAX_ARGS ? (uint32_t)ctx_arg(ctx, aux) : 0);
}

void print_cpuset_out(const struct arg_ctx *ctx)
{
	print_cpuset(ctx, ctx->is_error ? 0 : (uint32_t)ctx->rval);
}
