/* CPU affinity masks (sched_setaffinity, sched_getaffinity), as strace
 * 6.1 prints them: the numbers of the set bits, "[0 1 5]", and "..."
 * when the mask is longer than strace looks.
 *
 * strace reads at most the kernel's smallest accepted mask size (it
 * probes it: the first of 128, 256... bytes that sched_getaffinity does
 * not refuse with EINVAL), rounded up to the tracee's word; a mask not
 * readable to that length prints as its address. */
#include "structs.h"

#include <errno.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>

#define CPUSET_PROBE_FIRST 128
#define CPUSET_PROBE_MAX (1u << 20)

/* Asked of the kernel once (the same for every tracee). */
static unsigned cpuset_size(void)
{
	static unsigned size;
	if (size)
		return size;
	unsigned s = CPUSET_PROBE_FIRST;
	while (s < CPUSET_PROBE_MAX && sched_getaffinity(0, s, NULL) == -1 &&
	       errno == EINVAL)
		s <<= 1;
	size = s < CPUSET_PROBE_MAX ? s : CPUSET_PROBE_FIRST;
	return size;
}

static void print_cpuset(const struct arg_ctx *ctx, uint64_t len)
{
	struct strbuf *sb = ctx->sb;
	if (!ctx->value) {
		sb_puts(sb, "NULL");
		return;
	}
	if (!len) {
		sb_puts(sb, "[]");
		return;
	}
	unsigned max = cpuset_size(), w = ctx_word_size(ctx);
	size_t want = len < max ? (size_t)len : max;
	size_t size = (want + w - 1) / w * w;
	unsigned char *mask = (unsigned char *)ctx_scratch(ctx, size);
	memset(mask, 0, size);
	if (!ctx_fetch(ctx, ctx->value, mask, want))
		return;
	bool printed = false;
	sb_putc(sb, '[');
	for (size_t bit = 0; bit < size * 8; bit++) {
		if (!(mask[bit / 8] & (1u << (bit % 8))))
			continue;
		sb_printf(sb, "%s%zu", printed ? " " : "", bit);
		printed = true;
	}
	if (size < len)
		sb_puts(sb, printed ? " ..." : "...");
	sb_putc(sb, ']');
}

/* sched_setaffinity: the length is argument 1, as the kernel's unsigned. */
void print_cpuset_in(const struct arg_ctx *ctx)
{
	print_cpuset(ctx, (uint32_t)ctx_arg(ctx, 1));
}

/* sched_getaffinity: what the kernel wrote, the return value's bytes. */
void print_cpuset_out(const struct arg_ctx *ctx)
{
	if (!ctx_exit_ok(ctx))
		return;
	print_cpuset(ctx, (uint64_t)ctx->rval);
}
