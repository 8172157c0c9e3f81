/* Flag and enum arguments of sockets: domains, types, protocols, option
 * levels and names, message flags. */
#include "flags.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "xlat.h"
#include "xlat_tables.h"

#define SOCK_TYPE_MASK 0xfu

/* The domain argument of socket and socketpair. */
#define SOCKET_ARG_DOMAIN 0
/* The level and value arguments of setsockopt and getsockopt. */
#define SOCKOPT_ARG_LEVEL 1
#define SOCKOPT_ARG_VALUE 3

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

/* packet sockets take an ethertype in network byte order: strace prints
 * the low 16 bits swapped, named or with an ETH_P_??? comment */
static void print_packet_proto(const struct arg_ctx *ctx, uint32_t proto)
{
	sb_puts(ctx->sb, "htons(");
	ctx_print_enum(ctx, &xlat_ethertype, ntohs((uint16_t)proto), "ETH_P_???");
	sb_putc(ctx->sb, ')');
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
		print_packet_proto(ctx, proto);
		return;
	default:
		sb_printf(ctx->sb, "%d", (int)proto);
	}
}

void print_sockopt_level(const struct arg_ctx *ctx)
{
	ctx_print_enum(ctx, &xlat_sockopt_level, (uint32_t)ctx->value, NULL);
}

/* The option names of a level: the names both calls take, and those of
 * getsockopt or setsockopt alone (GET says which), looked up after. */
struct sockopt_tables {
	const struct xlat *common, *get, *set;
};

static struct sockopt_tables sockopt_names(uint32_t level)
{
	switch (level) {
	case SOL_SOCKET:
		return (struct sockopt_tables){ &xlat_sockopt_socket,
			&xlat_sockopt_socket_get, &xlat_sockopt_socket_set };
	case SOL_IP:
		return (struct sockopt_tables){ &xlat_sockopt_ip,
			&xlat_sockopt_ip_get, &xlat_sockopt_ip_set };
	case SOL_IPV6:
		return (struct sockopt_tables){ &xlat_sockopt_ipv6,
			&xlat_sockopt_ipv6_get, &xlat_sockopt_ipv6_set };
	case IPPROTO_TCP:
		return (struct sockopt_tables){ &xlat_sockopt_tcp, NULL, NULL };
	case IPPROTO_UDP:
		return (struct sockopt_tables){ &xlat_sockopt_udp, NULL, NULL };
	case SOL_NETLINK:
		return (struct sockopt_tables){ &xlat_sockopt_netlink, NULL, NULL };
	case SOL_PACKET:
		return (struct sockopt_tables){ &xlat_sockopt_packet, NULL, NULL };
	case SOL_RAW:
		return (struct sockopt_tables){ &xlat_sockopt_raw, NULL, NULL };
	}
	return (struct sockopt_tables){ NULL, NULL, NULL };
}

/* The option's name per level; a level without a table prints the number
 * (unsigned, as strace does). */
void print_sockopt_name(const struct arg_ctx *ctx)
{
	uint32_t name = (uint32_t)ctx->value;
	struct sockopt_tables t =
		sockopt_names((uint32_t)ctx_arg(ctx, SOCKOPT_ARG_LEVEL));
	if (!t.common) {
		sb_printf(ctx->sb, "%u", name);
		return;
	}
	bool get = ctx->call->sig->kinds[SOCKOPT_ARG_VALUE] == ARG_SOCKOPT_OUT;
	const struct xlat *own = get ? t.get : t.set;
	if (own && !xlat_name(t.common, name) && xlat_name(own, name))
		ctx_print_enum(ctx, own, name, NULL);
	else
		ctx_print_enum(ctx, t.common, name, NULL);
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
