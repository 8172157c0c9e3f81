/* struct mq_attr (mq_open, mq_getsetattr), as strace 6.1 prints it:
 * "{mq_flags=O_NONBLOCK, mq_maxmsg=2, mq_msgsize=16, mq_curmsgs=0}".
 *
 * Four longs and four reserved ones: 64 bytes for 64-bit tracees, 32 for
 * i386. strace reads all of it, the reserved words included: a struct not
 * readable to its end prints as the address. */
#include "structs.h"

#define MQ_ATTR_WORDS 8

/* DECODE_FLAGS: mq_getsetattr names mq_flags; mq_open prints them in hex
 * (the kernel ignores them there). */
static void print_mq_attr(const struct arg_ctx *ctx, bool decode_flags)
{
	unsigned char b[MQ_ATTR_WORDS * 8];
	unsigned w = ctx_word_size(ctx);
	if (!ctx_fetch(ctx, ctx->value, b, MQ_ATTR_WORDS * (size_t)w))
		return;
	struct strbuf *sb = ctx->sb;
	uint64_t flags = field_u(b, 0, w);
	sb_puts(sb, "{mq_flags=");
	if (decode_flags)
		ctx_print_flags(ctx, &xlat_mq_flags, flags);
	else
		print_unknown(sb, flags, NULL);
	sb_printf(sb, ", mq_maxmsg=%lld, mq_msgsize=%lld, mq_curmsgs=%lld}",
		  (long long)field_s(b, w, w), (long long)field_s(b, 2 * w, w),
		  (long long)field_s(b, 3 * w, w));
}

/* mq_open's attributes (shown with O_CREAT only: layout_oflags). */
void print_mq_attr_open(const struct arg_ctx *ctx)
{
	print_mq_attr(ctx, false);
}

/* mq_getsetattr's new attributes, at entry. */
void print_mq_attr_in(const struct arg_ctx *ctx)
{
	print_mq_attr(ctx, true);
}

/* mq_getsetattr's old attributes, at exit: the address when it failed. */
void print_mq_attr_out(const struct arg_ctx *ctx)
{
	if (ctx_exit_ok(ctx))
		print_mq_attr(ctx, true);
}
