/* Socket addresses as strace 6.1 prints them: sa_family, then the fields
 * of AF_UNIX (abstract names, sun_path cut at the 108 bytes it holds),
 * AF_INET, AF_INET6 (flow info; the scope id when the length goes past
 * sin6_addr, as an interface for link-local addresses), AF_NETLINK,
 * AF_PACKET (sockaddr_ll), AF_VSOCK, AF_IPX, AF_QIPCRTR, AF_XDP and
 * AF_ALG; sa_data for the other families and for a
 * length too short for the family's fields. Interface indexes and the
 * network-order fields other structures share, in each -X style. */
#include "structs.h"

#include <arpa/inet.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include "ptrc/decode.h"
#include "ptrc/escape.h"

/* sockaddr_storage: no address is longer */
#define SOCKADDR_MAX 128
/* sizeof(struct sockaddr_un): sa_family and a 108-byte sun_path */
#define SOCKADDR_UN_SIZE 110
/* offsetof(struct sockaddr_in6, sin6_scope_id) */
#define SIN6_MIN_LEN 24
/* offsetof(struct sockaddr_ll, sll_addr), its size */
#define SLL_ADDR_OFF 12
#define SLL_SIZE 20

void ctx_print_net_bytes(const struct arg_ctx *ctx, const void *bytes,
			 size_t n, const char *text)
{
	enum xlat_style style = ctx_xlat_style(ctx);
	if (style != XLAT_STYLE_ABBREV)
		escape_quoted(ctx->sb, bytes, n, ESCAPE_HEX_ALL, false);
	if (style == XLAT_STYLE_VERBOSE)
		sb_printf(ctx->sb, " /* %s */", text);
	else if (style == XLAT_STYLE_ABBREV)
		sb_puts(ctx->sb, text);
}

void ctx_print_in_addr(const struct arg_ctx *ctx, const char *name,
		       const unsigned char *a)
{
	char addr[INET_ADDRSTRLEN], text[INET_ADDRSTRLEN + 16];
	inet_ntop(AF_INET, a, addr, sizeof addr);
	snprintf(text, sizeof text, "inet_addr(\"%s\")", addr);
	sb_printf(ctx->sb, "%s=", name);
	ctx_print_net_bytes(ctx, a, 4, text);
}

void ctx_print_in6_addr(const struct arg_ctx *ctx, const char *name,
			const unsigned char *a)
{
	char addr[INET6_ADDRSTRLEN];
	inet_ntop(AF_INET6, a, addr, sizeof addr);
	if (ctx_xlat_style(ctx) == XLAT_STYLE_ABBREV) {
		sb_printf(ctx->sb, "inet_pton(AF_INET6, \"%s\", &%s)", addr, name);
		return;
	}
	char text[INET6_ADDRSTRLEN + 32];
	snprintf(text, sizeof text, "inet_pton(AF_INET6, \"%s\")", addr);
	sb_printf(ctx->sb, "%s=", name);
	ctx_print_net_bytes(ctx, a, 16, text);
}

void ctx_print_ifindex(const struct arg_ctx *ctx, uint32_t index)
{
	char name[IF_NAMESIZE];
	if (!index || !if_indextoname(index, name)) {
		sb_printf(ctx->sb, "%u", index);
		return;
	}
	enum xlat_style style = ctx_xlat_style(ctx);
	if (style != XLAT_STYLE_ABBREV)
		sb_printf(ctx->sb, "%u", index);
	if (style == XLAT_STYLE_RAW)
		return;
	sb_puts(ctx->sb, style == XLAT_STYLE_VERBOSE ? " /* if_nametoindex(" :
		"if_nametoindex(");
	escape_quoted(ctx->sb, name, strnlen(name, sizeof name), ESCAPE_C, false);
	sb_puts(ctx->sb, style == XLAT_STYLE_VERBOSE ? ") */" : ")");
}

/* "htons(25)" */
static void print_port(const struct arg_ctx *ctx, const char *name,
		       const unsigned char *p)
{
	char text[16];
	snprintf(text, sizeof text, "htons(%u)", ntohs((uint16_t)field_u(p, 0, 2)));
	sb_printf(ctx->sb, "%s=", name);
	ctx_print_net_bytes(ctx, p, 2, text);
}

static void print_sun(const struct arg_ctx *ctx, const unsigned char *b,
		      size_t len)
{
	if (len > SOCKADDR_UN_SIZE)
		len = SOCKADDR_UN_SIZE;
	const char *path = (const char *)b + 2;
	size_t n = len - 2;
	sb_puts(ctx->sb, "sun_path=");
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

static void print_sin(const struct arg_ctx *ctx, const unsigned char *b)
{
	print_port(ctx, "sin_port", b + 2);
	sb_puts(ctx->sb, ", ");
	ctx_print_in_addr(ctx, "sin_addr", b + 4);
}

static void print_sin6(const struct arg_ctx *ctx, const unsigned char *b,
		       size_t len)
{
	struct strbuf *sb = ctx->sb;
	char text[24];
	print_port(ctx, "sin6_port", b + 2);
	snprintf(text, sizeof text, "htonl(%u)", ntohl((uint32_t)field_u(b, 4, 4)));
	sb_puts(sb, ", sin6_flowinfo=");
	ctx_print_net_bytes(ctx, b + 4, 4, text);
	sb_puts(sb, ", ");
	ctx_print_in6_addr(ctx, "sin6_addr", b + 8);
	if (len <= SIN6_MIN_LEN)
		return;
	/* (past LEN when it is 25 to 27: zeros, as strace reads it) */
	uint32_t scope = (uint32_t)field_u(b, 24, 4);
	const unsigned char *a = b + 8;
	bool link_local = (a[0] == 0xfe && (a[1] & 0xc0) == 0x80) ||
			  (a[0] == 0xff && (a[1] & 0x0f) == 0x2);
	sb_puts(sb, ", sin6_scope_id=");
	if (link_local)
		ctx_print_ifindex(ctx, scope);
	else
		sb_printf(sb, "%u", scope);
}

static void print_nl(const struct arg_ctx *ctx, const unsigned char *b)
{
	unsigned pad = (unsigned)field_u(b, 2, 2);
	if (pad)
		sb_printf(ctx->sb, "nl_pad=%#x, ", pad);
	sb_printf(ctx->sb, "nl_pid=%d, nl_groups=%#08x", (int)field_s(b, 4, 4),
		  (unsigned)field_u(b, 8, 4));
}

/* sockaddr_ll {u16 family, protocol (network order); int ifindex; u16
 * hatype; u8 pkttype, halen, addr[8]}: the address bytes sll_halen
 * says, up to the length. */
static void print_ll(const struct arg_ctx *ctx, const unsigned char *b,
		     size_t len)
{
	struct strbuf *sb = ctx->sb;
	uint16_t proto = ntohs((uint16_t)field_u(b, 2, 2));
	const char *proto_name = xlat_name(&xlat_ethertype, proto);
	char text[48];
	if (proto_name)
		snprintf(text, sizeof text, "htons(%s)", proto_name);
	else
		snprintf(text, sizeof text, proto ? "htons(%#x /* ETH_P_??? */)" :
			 "htons(%x /* ETH_P_??? */)", proto);
	sb_puts(sb, "sll_protocol=");
	ctx_print_net_bytes(ctx, b + 2, 2, text);
	sb_puts(sb, ", sll_ifindex=");
	ctx_print_ifindex(ctx, (uint32_t)field_u(b, 4, 4));
	sb_puts(sb, ", sll_hatype=");
	ctx_print_enum(ctx, &xlat_arphrd_type, field_u(b, 8, 2), NULL);
	sb_puts(sb, ", sll_pkttype=");
	ctx_print_enum(ctx, &xlat_packet_type, b[10], NULL);
	unsigned halen = b[11];
	sb_printf(sb, ", sll_halen=%u", halen);
	if (!halen)
		return;
	sb_puts(sb, ", sll_addr=[");
	for (size_t i = 0; i < halen; i++) {
		if (i)
			sb_puts(sb, ", ");
		if (i >= len - SLL_ADDR_OFF) {
			sb_puts(sb, "...");
			break;
		}
		sb_printf(sb, "%#02x", b[SLL_ADDR_OFF + i]);
	}
	sb_putc(sb, ']');
}

/* sockaddr_vm {u16 family, reserved1; u32 port, cid; u8 flags, zero[3]} */
static void print_vm(const struct arg_ctx *ctx, const unsigned char *b)
{
	struct strbuf *sb = ctx->sb;
	unsigned reserved = (unsigned)field_u(b, 2, 2);
	if (reserved)
		sb_printf(sb, "svm_reserved1=%#x, ", reserved);
	sb_puts(sb, "svm_cid=");
	ctx_print_enum(ctx, &xlat_vsock_cid, field_u(b, 8, 4), NULL);
	sb_puts(sb, ", svm_port=");
	ctx_print_enum(ctx, &xlat_vsock_port, field_u(b, 4, 4), NULL);
	sb_puts(sb, ", svm_flags=");
	ctx_print_flags(ctx, &xlat_vsock_flags, b[12]);
	if (b[13] || b[14] || b[15]) {
		sb_puts(sb, ", svm_zero=");
		escape_quoted(sb, (const char *)b + 13, 3, ESCAPE_HEX_ALL, false);
	}
}

/* sockaddr_ipx {u16 family, port; u32 network; u8 node[6], type, zero} */
static void print_ipx(const struct arg_ctx *ctx, const unsigned char *b)
{
	struct strbuf *sb = ctx->sb;
	print_port(ctx, "sipx_port", b + 2);
	sb_printf(sb, ", sipx_network=htonl(%#x), sipx_node=[",
		  ntohl((uint32_t)field_u(b, 4, 4)));
	for (int i = 0; i < 6; i++)
		sb_printf(sb, i ? ", %#02x" : "%#02x", b[8 + i]);
	sb_printf(sb, "], sipx_type=%#02x", b[14]);
	if (b[15])
		sb_printf(sb, ", sipx_zero=%#x", b[15]);
}

/* sockaddr_qrtr {u16 family; u32 node, port} */
static void print_qrtr(const struct arg_ctx *ctx, const unsigned char *b)
{
	sb_puts(ctx->sb, "sq_node=");
	ctx_print_enum(ctx, &xlat_qrtr_node, field_u(b, 4, 4), NULL);
	sb_puts(ctx->sb, ", sq_port=");
	ctx_print_enum(ctx, &xlat_qrtr_port, field_u(b, 8, 4), NULL);
}

/* sockaddr_xdp {u16 family, flags; u32 ifindex, queue_id, shared_umem_fd}:
 * the descriptor as one when XDP_SHARED_UMEM says it is */
static void print_xdp(const struct arg_ctx *ctx, const unsigned char *b)
{
	struct strbuf *sb = ctx->sb;
	unsigned flags = (unsigned)field_u(b, 2, 2);
	uint32_t fd = (uint32_t)field_u(b, 12, 4);
	sb_puts(sb, "sxdp_flags=");
	ctx_print_flags(ctx, &xlat_xdp_bind_flags, flags);
	sb_puts(sb, ", sxdp_ifindex=");
	ctx_print_ifindex(ctx, (uint32_t)field_u(b, 4, 4));
	sb_printf(sb, ", sxdp_queue_id=%u", (unsigned)field_u(b, 8, 4));
	if (flags & 1 /* XDP_SHARED_UMEM */) {
		sb_puts(sb, ", sxdp_shared_umem_fd=");
		decode_fd(sb, ctx->call->tid, (int)fd, ctx->d->config->decode_fds);
	} else if (fd) {
		sb_printf(sb, ", sxdp_shared_umem_fd=%#x", fd);
	}
}

/* A NUL-terminated char array of SIZE bytes whose last byte should be
 * the NUL: without one, SIZE - 1 bytes and "...". */
static void print_char_array(const struct arg_ctx *ctx, const char *name,
			     const unsigned char *p, size_t size)
{
	size_t n = strnlen((const char *)p, size);
	bool cut = n == size;
	sb_printf(ctx->sb, "%s=", name);
	escape_quoted(ctx->sb, (const char *)p, cut && n ? n - 1 : n,
		      ctx->d->config->escape, cut);
}

/* sockaddr_alg {u16 family; u8 type[14]; u32 feat, mask; u8 name[]}:
 * the name runs to the length; the flags print as strace prints them,
 * in the verbose style. */
static void print_alg(const struct arg_ctx *ctx, const unsigned char *b,
		      size_t len)
{
	struct strbuf *sb = ctx->sb;
	print_char_array(ctx, "salg_type", b + 2, 14);
	sb_puts(sb, ", salg_feat=");
	print_flags(sb, XLAT_STYLE_VERBOSE, &xlat_alg_flags, field_u(b, 16, 4));
	sb_puts(sb, ", salg_mask=");
	print_flags(sb, XLAT_STYLE_VERBOSE, &xlat_alg_flags, field_u(b, 20, 4));
	sb_puts(sb, ", ");
	print_char_array(ctx, "salg_name", b + 24, len - 24);
}

/* The fields of the families decoded, when LEN holds them; false: the
 * caller prints sa_data. */
static bool print_family_fields(const struct arg_ctx *ctx, unsigned family,
				const unsigned char *b, size_t len)
{
	switch (family) {
	case AF_UNIX:
		print_sun(ctx, b, len);
		return true;
	case AF_INET:
		if (len < 16)
			return false;
		print_sin(ctx, b);
		return true;
	case AF_INET6:
		if (len < SIN6_MIN_LEN)
			return false;
		print_sin6(ctx, b, len);
		return true;
	case AF_NETLINK:
		if (len < 12)
			return false;
		print_nl(ctx, b);
		return true;
	case AF_PACKET:
		if (len < SLL_SIZE)
			return false;
		print_ll(ctx, b, len);
		return true;
	case 40: /* AF_VSOCK */
		if (len < 16)
			return false;
		print_vm(ctx, b);
		return true;
	case 38: /* AF_ALG */
		if (len < 25)
			return false;
		print_alg(ctx, b, len);
		return true;
	case 4: /* AF_IPX */
		if (len < 16)
			return false;
		print_ipx(ctx, b);
		return true;
	case 42: /* AF_QIPCRTR */
		if (len < 12)
			return false;
		print_qrtr(ctx, b);
		return true;
	case 44: /* AF_XDP */
		if (len < 16)
			return false;
		print_xdp(ctx, b);
		return true;
	}
	return false;
}

void ctx_print_sockaddr_buf(const struct arg_ctx *ctx, const unsigned char *in,
			    size_t len)
{
	struct strbuf *sb = ctx->sb;
	/* zeros after the LEN bytes: strace reads some fields past LEN */
	unsigned char b[SOCKADDR_MAX + 1] = { 0 };
	if (len > SOCKADDR_MAX)
		len = SOCKADDR_MAX;
	memcpy(b, in, len);
	unsigned family = (unsigned)field_u(b, 0, 2);
	sb_puts(sb, "{sa_family=");
	ctx_print_enum(ctx, &xlat_sock_domain, family, NULL);
	if (len > 2) {
		sb_puts(sb, ", ");
		if (!print_family_fields(ctx, family, b, len)) {
			sb_puts(sb, "sa_data=");
			escape_quoted(sb, (const char *)b + 2, len - 2,
				      ctx->d->config->escape, false);
		}
	}
	sb_putc(sb, '}');
}

void ctx_print_sockaddr(const struct arg_ctx *ctx, uint64_t addr, int64_t len)
{
	if (len < 2) {
		ctx_print_ptr(ctx, addr);
		return;
	}
	unsigned char b[SOCKADDR_MAX];
	size_t n = len > SOCKADDR_MAX ? SOCKADDR_MAX : (size_t)len;
	if (ctx_fetch(ctx, addr, b, n))
		ctx_print_sockaddr_buf(ctx, b, n);
}
