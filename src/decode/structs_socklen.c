/* Socket lengths in and out, as strace 6.1 prints them: bind, connect and
 * sendto's sockaddr of an int length; accept, getsockname, getpeername,
 * recvfrom's sockaddr and getsockopt's value, whose length is in-out
 * ("[128 => 16]", "%d" both). The length offered is saved at entry; when
 * it could not be read then (or, for a sockaddr, the buffer is NULL),
 * strace prints both pointers as addresses, and so does ptrc. */
#include "structs.h"

/* bind, connect, sendto: the length is an int argument. */
void print_sockaddr_in(const struct arg_ctx *ctx)
{
	uint8_t aux = ctx->call->sig->aux[ctx->index];
	int len = aux < SYSCALL_MAX_ARGS ? (int)(uint32_t)ctx_arg(ctx, aux) : 0;
	ctx_print_sockaddr(ctx, ctx->value, len);
}

/* Entry hook of socklen_out: the length offered, before the kernel
 * replaces it; not for a NULL sockaddr (the argument before). */
void entry_save_socklen(const struct arg_ctx *ctx)
{
	if (ctx->index > 0 &&
	    ctx->call->sig->kinds[ctx->index - 1] == ARG_SOCKADDR_OUT &&
	    !ctx_arg(ctx, ctx->index - 1))
		return;
	int32_t len;
	if (ctx->value && ctx_read(ctx, ctx->value, &len, sizeof len))
		ctx_save(ctx, (uint32_t)len);
}

bool ctx_socklen_saved(const struct arg_ctx *ctx, unsigned len_index,
		       int *ulen)
{
	struct arg_ctx len_ctx = *ctx;
	len_ctx.index = len_index;
	uint64_t v;
	if (len_index >= SYSCALL_MAX_ARGS || !ctx_saved(&len_ctx, &v))
		return false;
	*ulen = (int)(uint32_t)v;
	return true;
}

bool ctx_socklen_returned(const struct arg_ctx *ctx, unsigned len_index,
			  int *rlen)
{
	uint64_t addr = ctx_arg(ctx, len_index);
	return !ctx->is_error && addr && ctx_read(ctx, addr, rlen, sizeof *rlen);
}

/* accept, getsockname, recvfrom: the sockaddr of the shorter of the two
 * lengths (aux names the length argument). */
void print_sockaddr_out(const struct arg_ctx *ctx)
{
	uint8_t aux = ctx->call->sig->aux[ctx->index];
	int ulen, rlen;
	if (!ctx_socklen_saved(ctx, aux, &ulen) ||
	    !ctx_socklen_returned(ctx, aux, &rlen)) {
		ctx_print_ptr(ctx, ctx->value);
		return;
	}
	ctx_print_sockaddr(ctx, ctx->value, ulen < rlen ? ulen : rlen);
}

void print_socklen_out(const struct arg_ctx *ctx)
{
	int ulen, rlen;
	if (!ctx_socklen_saved(ctx, ctx->index, &ulen)) {
		ctx_print_ptr(ctx, ctx->value);
		return;
	}
	if (!ctx_socklen_returned(ctx, ctx->index, &rlen))
		rlen = ulen;
	if (rlen == ulen)
		sb_printf(ctx->sb, "[%d]", rlen);
	else
		sb_printf(ctx->sb, "[%d => %d]", ulen, rlen);
}
