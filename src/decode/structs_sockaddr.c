/* Socket addresses: sockaddr (AF_UNIX incl. abstract, AF_INET, AF_INET6,
 * AF_NETLINK, others as sa_data) and the socklen in-out values of
 * accept, getsockname, recvfrom...; network interface indexes. */
#include "structs.h"

#include <arpa/inet.h>
#include <net/if.h>
#include <string.h>

#include "ptrc/escape.h"

/* sockaddr_storage: no address is longer */
#define SOCKADDR_MAX 128

static void print_family(const struct arg_ctx *ctx, unsigned family)
{
	sb_puts(ctx->sb, "sa_family=");
	ctx_print_enum(ctx, &xlat_sock_domain, family, NULL);
}

static void print_sun_path(const struct arg_ctx *ctx, const unsigned char *b,
			   size_t len)
{
	const char *path = (const char *)b + 2;
	size_t n = len - 2;
	if (n == 0)
		return;
	sb_puts(ctx->sb, ", sun_path=");
	if (path[0] == '\0') {
		/* abstract: the length, not a NUL, ends the name */
		sb_putc(ctx->sb, '@');
		escape_quoted(ctx->sb, path + 1, n - 1, ctx->d->config->escape,
			      false);
		return;
	}
	escape_quoted(ctx->sb, path, strnlen(path, n), ctx->d->config->escape,
		      false);
}

void ctx_print_sockaddr_buf(const struct arg_ctx *ctx, const unsigned char *b,
			    size_t len)
{
	struct strbuf *sb = ctx->sb;
	unsigned family = (unsigned)field_u(b, 0, 2);
	sb_putc(sb, '{');
	print_family(ctx, family);
	switch (family) {
	case 1: /* AF_UNIX */
		print_sun_path(ctx, b, len);
		sb_putc(sb, '}');
		return;
	case 2: /* AF_INET */
		if (len >= 16) {
			char text[INET_ADDRSTRLEN];
			inet_ntop(AF_INET, b + 4, text, sizeof text);
			sb_printf(sb, ", sin_port=htons(%u), sin_addr=inet_addr(\"%s\")}",
				  ntohs((uint16_t)field_u(b, 2, 2)), text);
			return;
		}
		break;
	case 10: /* AF_INET6 */
		if (len >= 24) {
			char text[INET6_ADDRSTRLEN];
			inet_ntop(AF_INET6, b + 8, text, sizeof text);
			sb_printf(sb, ", sin6_port=htons(%u), sin6_flowinfo=htonl(%u), "
				  "inet_pton(AF_INET6, \"%s\", &sin6_addr)",
				  ntohs((uint16_t)field_u(b, 2, 2)),
				  ntohl((uint32_t)field_u(b, 4, 4)), text);
			if (len >= 28) {
				sb_puts(sb, ", sin6_scope_id=");
				print_ifindex(sb, (uint32_t)field_u(b, 24, 4));
			}
			sb_putc(sb, '}');
			return;
		}
		break;
	case 16: /* AF_NETLINK */
		if (len >= 12) {
			sb_printf(sb, ", nl_pid=%d, nl_groups=%08x}",
				  (int)field_s(b, 4, 4), (unsigned)field_u(b, 8, 4));
			return;
		}
		break;
	}
	if (len > 2) {
		sb_puts(sb, ", sa_data=");
		escape_quoted(sb, (const char *)b + 2, len - 2,
			      ctx->d->config->escape, false);
	}
	sb_putc(sb, '}');
}

void ctx_print_sockaddr(const struct arg_ctx *ctx, uint64_t addr, uint64_t len)
{
	if (!addr) {
		sb_puts(ctx->sb, "NULL");
		return;
	}
	if (len < 2) {
		ctx_print_ptr(ctx, addr);
		return;
	}
	unsigned char b[SOCKADDR_MAX + 1];
	size_t n = len > SOCKADDR_MAX ? SOCKADDR_MAX : (size_t)len;
	if (!ctx_read(ctx, addr, b, n)) {
		ctx_print_ptr(ctx, addr);
		return;
	}
	b[n] = 0;
	ctx_print_sockaddr_buf(ctx, b, n);
}

/* bind, connect, sendto: the length is an argument. */
void print_sockaddr_in(const struct arg_ctx *ctx)
{
	uint8_t aux = ctx->call->sig->aux[ctx->index];
	uint64_t len = aux < SYSCALL_MAX_ARGS ? (uint32_t)ctx_arg(ctx, aux) : 0;
	ctx_print_sockaddr(ctx, ctx->value, len);
}

/* The socklen at the argument's pointer, now; false when unreadable. */
static bool read_socklen(const struct arg_ctx *ctx, uint64_t addr,
			 uint32_t *len)
{
	return addr && ctx_read(ctx, addr, len, sizeof *len);
}

/* Entry hook of socklen_out: the buffer's size, before the kernel
 * replaces it with the address's length. */
void entry_save_socklen(const struct arg_ctx *ctx)
{
	uint32_t len;
	if (read_socklen(ctx, ctx->value, &len))
		ctx_save(ctx, len);
}

/* accept, getsockname, recvfrom: the length is in-out, through the
 * pointer argument named by aux. */
void print_sockaddr_out(const struct arg_ctx *ctx)
{
	if (!ctx_exit_ok(ctx))
		return;
	if (!ctx->value) {
		sb_puts(ctx->sb, "NULL");
		return;
	}
	uint8_t aux = ctx->call->sig->aux[ctx->index];
	uint32_t out;
	if (aux >= SYSCALL_MAX_ARGS ||
	    !read_socklen(ctx, ctx_arg(ctx, aux), &out)) {
		ctx_print_ptr(ctx, ctx->value);
		return;
	}
	/* The kernel copied at most the buffer's size. */
	struct arg_ctx len_ctx = *ctx;
	len_ctx.index = aux;
	uint64_t in;
	uint64_t len = out;
	if (ctx_saved(&len_ctx, &in) && in < len)
		len = in;
	if (len == 0) {
		ctx_print_ptr(ctx, ctx->value);
		return;
	}
	ctx_print_sockaddr(ctx, ctx->value, len);
}

void print_socklen_out(const struct arg_ctx *ctx)
{
	uint32_t out;
	if (!read_socklen(ctx, ctx->value, &out)) {
		ctx_print_ptr(ctx, ctx->value);
		return;
	}
	uint64_t in;
	if (!ctx->is_error && ctx_saved(ctx, &in) && in != out)
		sb_printf(ctx->sb, "[%u => %u]", (unsigned)in, out);
	else
		sb_printf(ctx->sb, "[%u]", out);
}

/* "if_nametoindex(\"lo\")" for an interface of this host, else the
 * number (strace's PRINT_FIELD_IFINDEX). */
void print_ifindex(struct strbuf *sb, uint32_t index)
{
	char name[IF_NAMESIZE];
	if (index && if_indextoname(index, name)) {
		sb_puts(sb, "if_nametoindex(");
		escape_quoted(sb, name, strnlen(name, sizeof name), ESCAPE_C,
			      false);
		sb_putc(sb, ')');
	} else {
		sb_printf(sb, "%u", index);
	}
}
