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

/* The protocol tables of the other families strace 6.1 names, each with
 * the comment of an unknown value (AF_IRDA's are CAN's, as strace
 * prints them). */
static const struct sock_proto_names {
	int family;
	const struct xlat *names;
	const char *unknown;
} sock_protos[] = {
	{ 23 /* AF_IRDA */, &xlat_sock_proto_can, "IRDAPROTO_???" },
	{ 29 /* AF_CAN */, &xlat_sock_proto_can, NULL },
	{ 31 /* AF_BLUETOOTH */, &xlat_sock_proto_bt, NULL },
	{ 33 /* AF_RXRPC */, &xlat_sock_domain, NULL },
	{ 34 /* AF_ISDN */, &xlat_sock_proto_isdn, NULL },
	{ 35 /* AF_PHONET */, &xlat_sock_proto_phonet, NULL },
	{ 37 /* AF_CAIF */, &xlat_sock_proto_caif, NULL },
	{ 39 /* AF_NFC */, &xlat_sock_proto_nfc, NULL },
	{ 41 /* AF_KCM */, &xlat_sock_proto_kcm, NULL },
	{ 43 /* AF_SMC */, &xlat_sock_proto_smc, NULL },
};

/* The protocol means what the domain says: IPPROTO_* for IP (0 is
 * IPPROTO_IP), NETLINK_* for netlink, an ethertype for packet sockets,
 * a table for the families above, an unsigned number otherwise. */
void print_sock_proto(const struct arg_ctx *ctx)
{
	uint32_t proto = (uint32_t)ctx->value;
	int family = (int)ctx_arg(ctx, SOCKET_ARG_DOMAIN);
	switch (family) {
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
	case AF_AX25:
		print_enum(ctx->sb, XLAT_STYLE_VERBOSE, &xlat_sock_proto_ax25,
			   proto, NULL);
		return;
	}
	for (size_t i = 0; i < sizeof sock_protos / sizeof sock_protos[0]; i++) {
		if (sock_protos[i].family == family) {
			ctx_print_enum(ctx, sock_protos[i].names, proto,
				       sock_protos[i].unknown);
			return;
		}
	}
	sb_printf(ctx->sb, "%u", proto);
}

void print_sockopt_level(const struct arg_ctx *ctx)
{
	ctx_print_enum(ctx, &xlat_sockopt_level, (uint32_t)ctx->value, NULL);
}

/* The option names of each level: the names both calls take, and those
 * of getsockopt or setsockopt alone, looked up after. Levels are the
 * kernel's numbers (SOL_* of linux/socket.h; AF_VSOCK's sockets take
 * their family as the level). */
static const struct sockopt_level_names {
	uint32_t level;
	const struct xlat *common, *get, *set;
} sockopt_levels[] = {
	{ SOL_SOCKET, &xlat_sockopt_socket, &xlat_sockopt_socket_get,
	  &xlat_sockopt_socket_set },
	{ 0 /* SOL_IP */, &xlat_sockopt_ip, &xlat_sockopt_ip_get,
	  &xlat_sockopt_ip_set },
	{ 41 /* SOL_IPV6 */, &xlat_sockopt_ipv6, &xlat_sockopt_ipv6_get,
	  &xlat_sockopt_ipv6_set },
	{ 6 /* SOL_TCP */, &xlat_sockopt_tcp, NULL, NULL },
	{ 17 /* SOL_UDP */, &xlat_sockopt_udp, NULL, NULL },
	{ 40 /* AF_VSOCK */, &xlat_sockopt_vsock, NULL, NULL },
	{ 101 /* SOL_CAN_RAW */, &xlat_sockopt_can_raw, NULL, NULL },
	{ 132 /* SOL_SCTP */, &xlat_sockopt_sctp, NULL, NULL },
	{ 255 /* SOL_RAW */, &xlat_sockopt_raw, NULL, NULL },
	{ 256 /* SOL_IPX */, &xlat_sockopt_ipx, NULL, NULL },
	{ 257 /* SOL_AX25 */, &xlat_sockopt_ax25, NULL, NULL },
	{ 263 /* SOL_PACKET */, &xlat_sockopt_packet, NULL, NULL },
	{ 266 /* SOL_IRDA */, &xlat_sockopt_irda, NULL, NULL },
	{ 268 /* SOL_LLC */, &xlat_sockopt_llc, NULL, NULL },
	{ 269 /* SOL_DCCP */, &xlat_sockopt_dccp, NULL, NULL },
	{ 270 /* SOL_NETLINK */, &xlat_sockopt_netlink, NULL, NULL },
	{ 271 /* SOL_TIPC */, &xlat_sockopt_tipc, NULL, NULL },
	{ 272 /* SOL_RXRPC */, &xlat_sockopt_rxrpc, NULL, NULL },
	{ 273 /* SOL_PPPOL2TP */, &xlat_sockopt_pppol2tp, NULL, NULL },
	{ 274 /* SOL_BLUETOOTH */, &xlat_sockopt_bluetooth, NULL, NULL },
	{ 275 /* SOL_PNPIPE */, &xlat_sockopt_pnpipe, NULL, NULL },
	{ 276 /* SOL_RDS */, &xlat_sockopt_rds, NULL, NULL },
	{ 277 /* SOL_IUCV */, &xlat_sockopt_iucv, NULL, NULL },
	{ 278 /* SOL_CAIF */, &xlat_sockopt_caif, NULL, NULL },
	{ 279 /* SOL_ALG */, &xlat_sockopt_alg, NULL, NULL },
	{ 280 /* SOL_NFC */, &xlat_sockopt_nfc, NULL, NULL },
	{ 281 /* SOL_KCM */, &xlat_sockopt_kcm, NULL, NULL },
	{ 282 /* SOL_TLS */, &xlat_sockopt_tls, NULL, NULL },
	{ 283 /* SOL_XDP */, &xlat_sockopt_xdp, NULL, NULL },
};

static const struct sockopt_level_names *sockopt_names(uint32_t level)
{
	for (size_t i = 0; i < sizeof sockopt_levels / sizeof sockopt_levels[0]; i++)
		if (sockopt_levels[i].level == level)
			return &sockopt_levels[i];
	return NULL;
}

/* The option's name per level; a level without a table prints the number
 * (unsigned, as strace does). */
void print_sockopt_name(const struct arg_ctx *ctx)
{
	uint32_t name = (uint32_t)ctx->value;
	const struct sockopt_level_names *t =
		sockopt_names((uint32_t)ctx_arg(ctx, SOCKOPT_ARG_LEVEL));
	if (!t) {
		sb_printf(ctx->sb, "%u", name);
		return;
	}
	bool get = ctx->call->sig->kinds[SOCKOPT_ARG_VALUE] == ARG_SOCKOPT_OUT;
	const struct xlat *own = get ? t->get : t->set;
	if (own && !xlat_name(t->common, name) && xlat_name(own, name))
		ctx_print_enum(ctx, own, name, NULL);
	else
		ctx_print_enum(ctx, t->common, name, NULL);
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
