/* Flag and enum arguments of sockets: domains, types, protocols, option
 * levels and names, message flags. */
#include "flags.h"

#include <arpa/inet.h>
#include <sys/socket.h>

#include "xlat.h"
#include "xlat_tables.h"

#define SOCK_TYPE_MASK 0xfu

/* The domain argument of socket and socketpair. */
#define SOCKET_ARG_DOMAIN 0
/* The level argument of setsockopt and getsockopt. */
#define SOCKOPT_ARG_LEVEL 1

void print_sock_domain(const struct arg_ctx *ctx)
{
	ctx_print_enum(ctx, &xlat_sock_domain, (uint32_t)ctx->value, NULL);
}

/* "SOCK_STREAM|SOCK_CLOEXEC"; with an unknown type, the whole value is
 * printed as flags, as strace does (hex with a SOCK_??? comment). */
static void print_sock_type_text(const struct arg_ctx *ctx)
{
	struct strbuf *sb = ctx->sb;
	uint64_t type = (uint32_t)ctx->value;
	const char *name = xlat_name(&xlat_sock_type, type & SOCK_TYPE_MASK);
	if (name) {
		sb_puts(sb, name);
		type &= ~(uint64_t)SOCK_TYPE_MASK;
		if (!type)
			return;
		sb_putc(sb, '|');
	}
	print_flags(sb, XLAT_STYLE_ABBREV, &xlat_sock_type_flags, type);
}

/* with -X, the whole value at once */
void print_sock_type(const struct arg_ctx *ctx)
{
	size_t mark = xlat_start(ctx->sb);
	print_sock_type_text(ctx);
	xlat_finish(ctx->sb, ctx_xlat_style(ctx), mark, (uint32_t)ctx->value);
}

/* packet sockets take an ethertype in network byte order */
static void print_packet_proto(struct strbuf *sb, uint32_t proto)
{
	uint16_t host = ntohs((uint16_t)proto);
	const char *name = proto <= 0xffff ? xlat_name(&xlat_ethertype, host) : NULL;
	if (name)
		sb_printf(sb, "htons(%s)", name);
	else
		sb_printf(sb, "htons(%#x)", host);
}

/* The protocol means what the domain says: IPPROTO_* for IP (0 is
 * IPPROTO_IP), NETLINK_* for netlink, a number otherwise. */
void print_sock_proto(const struct arg_ctx *ctx)
{
	uint32_t proto = (uint32_t)ctx->value;
	switch ((int)ctx_arg(ctx, SOCKET_ARG_DOMAIN)) {
	case AF_INET:
	case AF_INET6:
		ctx_print_enum(ctx, &xlat_inet_proto, proto, NULL);
		return;
	case AF_NETLINK:
		ctx_print_enum(ctx, &xlat_netlink_proto, proto, NULL);
		return;
	case AF_PACKET:
		print_packet_proto(ctx->sb, proto);
		return;
	default:
		sb_printf(ctx->sb, "%d", (int)proto);
	}
}

void print_sockopt_level(const struct arg_ctx *ctx)
{
	ctx_print_enum(ctx, &xlat_sockopt_level, (uint32_t)ctx->value, NULL);
}

static const struct xlat *sockopt_names(uint32_t level)
{
	switch (level) {
	case SOL_SOCKET:
		return &xlat_sockopt_socket;
	case IPPROTO_IP:
		return &xlat_sockopt_ip;
	case IPPROTO_IPV6:
		return &xlat_sockopt_ipv6;
	case IPPROTO_TCP:
		return &xlat_sockopt_tcp;
	case IPPROTO_UDP:
		return &xlat_sockopt_udp;
	}
	return NULL;
}

/* The option's name per level; a level without a table prints the number. */
void print_sockopt_name(const struct arg_ctx *ctx)
{
	uint32_t name = (uint32_t)ctx->value;
	const struct xlat *x = sockopt_names((uint32_t)ctx_arg(ctx, SOCKOPT_ARG_LEVEL));
	if (x)
		ctx_print_enum(ctx, x, name, NULL);
	else
		sb_printf(ctx->sb, "%u", name);
}

void print_msg_flags(const struct arg_ctx *ctx)
{
	ctx_print_flags(ctx, &xlat_msg_flags, (uint32_t)ctx->value);
}

void print_shutdown_how(const struct arg_ctx *ctx)
{
	ctx_print_enum(ctx, &xlat_shutdown_how, (uint32_t)ctx->value, NULL);
}

void print_socketcall_call(const struct arg_ctx *ctx)
{
	ctx_print_enum(ctx, &xlat_socketcall_call, (uint32_t)ctx->value, NULL);
}
