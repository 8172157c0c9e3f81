/* Socket option values of setsockopt and getsockopt, per level and name
 * as strace 6.1 decodes them: [int] options, struct linger, ucred,
 * ip_mreq, ipv6_mreq, group_req, tpacket_req, packet_mreq, tpacket_stats,
 * icmp_filter, SO_ERROR, SO_TXREHASH, NETLINK_LIST_MEMBERSHIPS; other
 * values as [int] when 4 bytes long, else as a string of optlen bytes.
 *
 * The optlen rules follow strace: setsockopt's is the int argument; a
 * struct shorter than its size prints as the address. getsockopt's is
 * in-out (structs_socklen.c): the value is decoded from the length the
 * kernel returned, and a length that is not positive prints the address. */
#include "structs.h"

#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "ptrc/escape.h"
#include "ptrc/names.h"
#include "structs_sockopt.h"

/* The level and option name arguments of both calls. */
#define SOCKOPT_ARG_LEVEL 1
#define SOCKOPT_ARG_NAME 2

/* Option numbers that asm/socket.h may lack (older headers). */
#ifndef SO_TXREHASH
#define SO_TXREHASH 74
#endif
#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif
#ifndef SOL_PACKET
#define SOL_PACKET 263
#endif
#ifndef SOL_RAW
#define SOL_RAW 255
#endif

/* linux/netlink.h, linux/if_packet.h, linux/icmp.h */
#define NETLINK_LIST_MEMBERSHIPS 9
#define PACKET_ADD_MEMBERSHIP 1
#define PACKET_DROP_MEMBERSHIP 2
#define PACKET_RX_RING 5
#define PACKET_STATISTICS 6
#define PACKET_TX_RING 13
#define ICMP_FILTER 1

/* ---- what both calls share ---- */

/* strace's printnum_int: "[5]", or the address when unreadable. */
static void print_int_at(const struct arg_ctx *ctx, uint64_t addr)
{
	int32_t v;
	if (ctx_fetch(ctx, addr, &v, sizeof v))
		sb_printf(ctx->sb, "[%d]", v);
}

/* LEN bytes at ADDR as a string, every byte in hex: "\x01\x00". */
static void print_hex_string(const struct arg_ctx *ctx, uint64_t addr,
			     uint64_t len)
{
	size_t limit = ctx->d->config->string_limit;
	size_t want = len < limit ? (size_t)len : limit;
	char *buf = ctx_scratch(ctx, want + 1);
	if (!ctx_fetch(ctx, addr, buf, want))
		return;
	escape_quoted(ctx->sb, buf, want, ESCAPE_HEX_ALL, len > want);
}

/* The int-like SOL_SOCKET options strace prints as [int]. */
static bool so_is_int(uint32_t name)
{
	switch (name) {
	case SO_DEBUG: case SO_REUSEADDR: case SO_DONTROUTE:
	case SO_BROADCAST: case SO_SNDBUF: case SO_RCVBUF:
	case SO_KEEPALIVE: case SO_OOBINLINE: case SO_NO_CHECK:
	case SO_PRIORITY: case SO_BSDCOMPAT: case SO_REUSEPORT:
	case SO_PASSCRED: case SO_RCVLOWAT: case SO_SNDLOWAT:
	case SO_DETACH_FILTER: case SO_TIMESTAMP_OLD: case SO_ACCEPTCONN:
	case SO_SNDBUFFORCE: case SO_RCVBUFFORCE: case SO_PASSSEC:
	case SO_TIMESTAMPNS_OLD: case SO_MARK: case SO_TIMESTAMPING_OLD:
	case SO_RXQ_OVFL: case SO_WIFI_STATUS: case SO_PEEK_OFF:
	case SO_NOFCS: case SO_LOCK_FILTER: case SO_SELECT_ERR_QUEUE:
	case SO_BUSY_POLL: case SO_INCOMING_CPU: case SO_CNX_ADVICE:
	case SO_INCOMING_NAPI_ID: case SO_ZEROCOPY: case SO_TIMESTAMP_NEW:
	case SO_TIMESTAMPNS_NEW: case SO_TIMESTAMPING_NEW:
	case SO_DETACH_REUSEPORT_BPF: case SO_PREFER_BUSY_POLL:
	case SO_BUSY_POLL_BUDGET: case SO_RESERVE_MEM: case SO_RCVMARK:
		return true;
	}
	return false;
}

/* SO_TXREHASH: "[SOCK_TXREHASH_ENABLED]"; LEN below an int: the address
 * at entry, the bytes in hex at exit. */
static void print_txrehash(const struct arg_ctx *ctx, uint64_t addr, int len,
			   bool exiting)
{
	if (len < 4) {
		if (exiting)
			print_hex_string(ctx, addr, (uint64_t)len);
		else
			ctx_print_ptr(ctx, addr);
		return;
	}
	int32_t v;
	if (!ctx_fetch(ctx, addr, &v, sizeof v))
		return;
	sb_putc(ctx->sb, '[');
	print_enum_dec(ctx->sb, ctx_xlat_style(ctx), &xlat_txrehash_mode, v);
	sb_putc(ctx->sb, ']');
}

/* ICMP_FILTER: the set bits as ICMP types, or the clear ones after '~'
 * when more than half are set; a short LEN leaves the rest set. */
static void print_icmp_filter(const struct arg_ctx *ctx, uint64_t addr,
			      int len)
{
	if (len <= 0) {
		ctx_print_ptr(ctx, addr);
		return;
	}
	unsigned char b[4] = { 0xff, 0xff, 0xff, 0xff };
	if (!ctx_fetch(ctx, addr, b, len > 4 ? 4 : (size_t)len))
		return;
	uint32_t bits = (uint32_t)field_u(b, 0, 4);
	if (__builtin_popcount(bits) > 16) {
		bits = ~bits;
		sb_putc(ctx->sb, '~');
	}
	sb_putc(ctx->sb, '[');
	bool first = true;
	for (unsigned i = 0; i < 32; i++) {
		if (!(bits >> i & 1))
			continue;
		if (!first)
			sb_putc(ctx->sb, ' ');
		first = false;
		ctx_print_enum(ctx, &xlat_icmp_type, i, NULL);
	}
	sb_putc(ctx->sb, ']');
}

/* strace's default: [int] for 4 bytes, else a string of LEN bytes (a
 * negative LEN is a huge one, as strace reads it). */
static void print_default(const struct arg_ctx *ctx, uint64_t addr, int len)
{
	if (len == 4)
		print_int_at(ctx, addr);
	else
		ctx_print_data(ctx, addr, (uint64_t)(int64_t)len);
}

/* ---- setsockopt ---- */

/* SO_ATTACH_FILTER's struct sock_fprog {u16 len; filter pointer at the
 * word size}: "{len=2, filter=0x...}" (the program itself is what strace
 * shows with -v only; ptrc shows its address then too). */
static void print_set_fprog(const struct arg_ctx *ctx, uint64_t addr, int len)
{
	unsigned w = ctx_word_size(ctx);
	unsigned char b[16];
	if (len != (int)(2 * w)) {
		ctx_print_ptr(ctx, addr);
		return;
	}
	if (!ctx_fetch(ctx, addr, b, 2 * w))
		return;
	sb_printf(ctx->sb, "{len=%u, filter=", (unsigned)field_u(b, 0, 2));
	ctx_print_ptr(ctx, field_u(b, w, w));
	sb_putc(ctx->sb, '}');
}

static bool print_set_socket(const struct arg_ctx *ctx, uint32_t name,
			     uint64_t addr, int len)
{
	if (name == SO_ATTACH_FILTER || name == SO_ATTACH_REUSEPORT_CBPF) {
		print_set_fprog(ctx, addr, len);
		return true;
	}
	if (name == SO_LINGER) {
		print_set_linger(ctx, addr, len);
		return true;
	}
	if (name == SO_TXREHASH) {
		print_txrehash(ctx, addr, len, false);
		return true;
	}
	if (!so_is_int(name))
		return false;
	if (len < 4)
		ctx_print_ptr(ctx, addr);
	else
		print_int_at(ctx, addr);
	return true;
}

/* The value as the level and name say; false: the default printing. */
static bool print_set_known(const struct arg_ctx *ctx, uint32_t level,
			    uint32_t name, uint64_t addr, int len)
{
	switch (level) {
	case SOL_SOCKET:
		return print_set_socket(ctx, name, addr, len);
	case SOL_IP:
		if (name == IP_ADD_MEMBERSHIP || name == IP_DROP_MEMBERSHIP) {
			print_ip_mreq(ctx, addr, len);
			return true;
		}
		if (name == MCAST_JOIN_GROUP || name == MCAST_LEAVE_GROUP) {
			print_group_req(ctx, addr, len);
			return true;
		}
		return false;
	case SOL_IPV6:
		if (name == IPV6_ADD_MEMBERSHIP || name == IPV6_DROP_MEMBERSHIP ||
		    name == IPV6_JOIN_ANYCAST || name == IPV6_LEAVE_ANYCAST) {
			print_ipv6_mreq(ctx, addr, len);
			return true;
		}
		if (name == MCAST_JOIN_GROUP || name == MCAST_LEAVE_GROUP) {
			print_group_req(ctx, addr, len);
			return true;
		}
		return false;
	case SOL_PACKET:
		if (name == PACKET_RX_RING || name == PACKET_TX_RING) {
			print_tpacket_req(ctx, addr, len);
			return true;
		}
		if (name == PACKET_ADD_MEMBERSHIP || name == PACKET_DROP_MEMBERSHIP) {
			print_packet_mreq(ctx, addr, len);
			return true;
		}
		return false;
	case SOL_RAW:
		if (name != ICMP_FILTER)
			return false;
		print_icmp_filter(ctx, addr, len);
		return true;
	case SOL_NETLINK:
		if (len < 4)
			ctx_print_ptr(ctx, addr);
		else
			print_int_at(ctx, addr);
		return true;
	}
	return false;
}

void print_sockopt_in(const struct arg_ctx *ctx)
{
	uint8_t aux = ctx->call->sig->aux[ctx->index];
	if (aux >= SYSCALL_MAX_ARGS) {
		ctx_print_ptr(ctx, ctx->value);
		return;
	}
	if (!ctx_deref(ctx)) {  /* -e verbose=: not even as a string */
		ctx_print_ptr(ctx, ctx->value);
		return;
	}
	/* the kernel takes an int optlen */
	int len = (int)(uint32_t)ctx_arg(ctx, aux);
	uint32_t level = (uint32_t)ctx_arg(ctx, SOCKOPT_ARG_LEVEL);
	uint32_t name = (uint32_t)ctx_arg(ctx, SOCKOPT_ARG_NAME);
	if (ctx->value && print_set_known(ctx, level, name, ctx->value, len))
		return;
	print_default(ctx, ctx->value, len);
}

/* ---- getsockopt ---- */

/* An error number as strace's print_err: "ECONNREFUSED", a number when
 * it has no name. */
static void print_errno_value(struct strbuf *sb, enum xlat_style style,
			      uint32_t err)
{
	const char *name = errno_name((long)err);
	if (name && style == XLAT_STYLE_ABBREV) {
		sb_puts(sb, name);
		return;
	}
	sb_printf(sb, "%u", err);
	if (name && style == XLAT_STYLE_VERBOSE)
		sb_printf(sb, " /* %s */", name);
}

/* SO_ERROR: "[ECONNREFUSED]"; shorter than an int: the bytes in hex. */
static void print_get_error(const struct arg_ctx *ctx, uint64_t addr, int len)
{
	if (len < 4) {
		print_hex_string(ctx, addr, (uint64_t)len);
		return;
	}
	uint32_t err;
	if (!ctx_fetch(ctx, addr, &err, sizeof err))
		return;
	sb_putc(ctx->sb, '[');
	print_errno_value(ctx->sb, ctx_xlat_style(ctx), err);
	sb_putc(ctx->sb, ']');
}

static bool print_get_socket(const struct arg_ctx *ctx, uint32_t name,
			     uint64_t addr, int rlen)
{
	switch (name) {
	case SO_GET_FILTER:
		/* the instruction count: strace shows the program with -v
		 * only, the address otherwise */
		ctx_print_ptr(ctx, addr);
		return true;
	case SO_LINGER:
		print_get_linger(ctx, addr, rlen);
		return true;
	case SO_PEERCRED:
		print_get_ucred(ctx, addr, rlen);
		return true;
	case SO_ERROR:
		print_get_error(ctx, addr, rlen);
		return true;
	case SO_TXREHASH:
		print_txrehash(ctx, addr, rlen, true);
		return true;
	}
	if (!so_is_int(name))
		return false;
	if (rlen >= 4)
		print_int_at(ctx, addr);
	else
		print_hex_string(ctx, addr, (uint64_t)rlen);
	return true;
}

/* NETLINK_LIST_MEMBERSHIPS: the group bitmap as an array of u32. */
static bool print_u32_elem(const struct arg_ctx *ctx, const void *elem,
			   void *user)
{
	(void)user;
	sb_printf(ctx->sb, "%u", (unsigned)field_u(elem, 0, 4));
	return true;
}

static bool print_get_known(const struct arg_ctx *ctx, uint32_t level,
			    uint32_t name, uint64_t addr, int ulen, int rlen)
{
	switch (level) {
	case SOL_SOCKET:
		return print_get_socket(ctx, name, addr, rlen);
	case SOL_PACKET:
		if (name != PACKET_STATISTICS)
			return false;
		print_tpacket_stats(ctx, addr, rlen);
		return true;
	case SOL_RAW:
		if (name != ICMP_FILTER)
			return false;
		print_icmp_filter(ctx, addr, rlen);
		return true;
	case SOL_NETLINK:
		if (name == NETLINK_LIST_MEMBERSHIPS)
			ctx_print_array(ctx, addr,
					(uint64_t)(ulen < rlen ? ulen : rlen) / 4,
					4, print_u32_elem, NULL);
		else
			print_int_at(ctx, addr);
		return true;
	}
	return false;
}

void print_sockopt_out(const struct arg_ctx *ctx)
{
	uint8_t aux = ctx->call->sig->aux[ctx->index];
	int ulen, rlen;
	if (!ctx_socklen_saved(ctx, aux, &ulen) ||
	    !ctx_socklen_returned(ctx, aux, &rlen) || ulen <= 0 || rlen <= 0) {
		ctx_print_ptr(ctx, ctx->value);
		return;
	}
	uint32_t level = (uint32_t)ctx_arg(ctx, SOCKOPT_ARG_LEVEL);
	uint32_t name = (uint32_t)ctx_arg(ctx, SOCKOPT_ARG_NAME);
	if (ctx->value &&
	    print_get_known(ctx, level, name, ctx->value, ulen, rlen))
		return;
	print_default(ctx, ctx->value, rlen);
}
