/* msghdr of sendmsg and recvmsg: its name (structs_sockaddr.c), iovec and
 * control messages (structs_cmsg.c).
 *
 * msghdr layouts: 64-bit {name 0, namelen 8, iov 16, iovlen 24, control
 * 32, controllen 40, flags 48} (56 bytes); i386 {0, 4, 8, 12, 16, 20, 24}
 * (28 bytes). */
#include "structs.h"

/* ---- msghdr ---- */

struct msghdr_fields {
	uint64_t name, iov, iovlen, control, controllen;
	uint32_t namelen;
	int32_t flags;
};

static size_t msghdr_size(const struct arg_ctx *ctx)
{
	return ctx_word_size(ctx) == 4 ? 28 : 56;
}

static void msghdr_decode(const struct arg_ctx *ctx, const unsigned char *b,
			  struct msghdr_fields *m)
{
	unsigned w = ctx_word_size(ctx);
	m->name = field_u(b, 0, w);
	m->namelen = (uint32_t)field_u(b, w, 4);
	m->iov = field_u(b, 2 * w, w);
	m->iovlen = field_u(b, 3 * w, w);
	m->control = field_u(b, 4 * w, w);
	m->controllen = field_u(b, 5 * w, w);
	m->flags = (int32_t)field_s(b, 6 * w, 4);
}

/* DATA_LIMIT: bytes of iov data to show (UINT64_MAX at entry, the
 * return value at exit). NAMELEN_IN: msg_namelen at entry, or UINT64_MAX
 * when unknown. */
static void print_msghdr_fields(const struct arg_ctx *ctx,
				const struct msghdr_fields *m,
				uint64_t data_limit, uint64_t namelen_in)
{
	struct strbuf *sb = ctx->sb;
	sb_puts(sb, "{msg_name=");
	uint64_t namelen = m->namelen;
	if (namelen_in < namelen)
		namelen = namelen_in;
	if (m->name && namelen)
		ctx_print_sockaddr(ctx, m->name, namelen);
	else
		ctx_print_ptr(ctx, m->name);
	if (namelen_in != UINT64_MAX && namelen_in != m->namelen)
		sb_printf(sb, ", msg_namelen=%u => %u", (unsigned)namelen_in,
			  m->namelen);
	else
		sb_printf(sb, ", msg_namelen=%u", m->namelen);
	sb_puts(sb, ", msg_iov=");
	ctx_print_iovec_data(ctx, m->iov, m->iovlen, data_limit);
	sb_printf(sb, ", msg_iovlen=%llu", (unsigned long long)m->iovlen);
	if (m->controllen) {
		sb_puts(sb, ", msg_control=");
		if (m->control)
			ctx_print_msg_control(ctx, m->control, m->controllen);
		else
			sb_puts(sb, "NULL");
	}
	sb_printf(sb, ", msg_controllen=%llu, msg_flags=",
		  (unsigned long long)m->controllen);
	ctx_print_flags(ctx, &xlat_msg_flags, (uint32_t)m->flags);
	sb_putc(sb, '}');
}

/* The msghdr read into B (the mmsghdr vectors of structs_mmsg.c). */
void ctx_print_msghdr_buf(const struct arg_ctx *ctx, const unsigned char *b,
			  uint64_t data_limit, uint64_t namelen_in)
{
	struct msghdr_fields m;
	msghdr_decode(ctx, b, &m);
	print_msghdr_fields(ctx, &m, data_limit, namelen_in);
}

void print_msghdr_in(const struct arg_ctx *ctx)
{
	unsigned char b[56];
	if (!ctx_fetch(ctx, ctx->value, b, msghdr_size(ctx)))
		return;
	struct msghdr_fields m;
	msghdr_decode(ctx, b, &m);
	print_msghdr_fields(ctx, &m, UINT64_MAX, UINT64_MAX);
}

/* Entry hook of msghdr_out: msg_namelen before the kernel updates it. */
void entry_save_msghdr(const struct arg_ctx *ctx)
{
	unsigned char b[56];
	if (ctx->value && ctx_read(ctx, ctx->value, b, msghdr_size(ctx)))
		ctx_save(ctx, field_u(b, ctx_word_size(ctx), 4));
}

void print_msghdr_out(const struct arg_ctx *ctx)
{
	uint64_t namelen_in;
	bool saved = ctx_saved(ctx, &namelen_in);
	if (ctx->is_error) {
		/* strace shows what the call was given */
		if (saved)
			sb_printf(ctx->sb, "{msg_namelen=%u}", (unsigned)namelen_in);
		else
			ctx_print_ptr(ctx, ctx->value);
		return;
	}
	unsigned char b[56];
	if (!ctx_fetch(ctx, ctx->value, b, msghdr_size(ctx)))
		return;
	struct msghdr_fields m;
	msghdr_decode(ctx, b, &m);
	print_msghdr_fields(ctx, &m, ctx->rval < 0 ? 0 : (uint64_t)ctx->rval,
			    saved ? namelen_in : UINT64_MAX);
}
