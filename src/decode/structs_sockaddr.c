/* Socket addresses as strace 6.1 prints them: sa_family, then the fields
 * of AF_UNIX (abstract names, sun_path cut at the 108 bytes it holds),
 * AF_INET, AF_INET6 (flow info; the scope id when the length goes past
 * sin6_addr, as an interface for link-local addresses), AF_NETLINK and
 * AF_PACKET (sockaddr_ll); sa_data for the other families and for a
 * length too short for the family's fields. Interface indexes. */
#include "structs.h"

#include <arpa/inet.h>
#include <net/if.h>
#include <string.h>

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
	char text[INET_ADDRSTRLEN];
	inet_ntop(AF_INET, b + 4, text, sizeof text);
	sb_printf(ctx->sb, "sin_port=htons(%u), sin_addr=inet_addr(\"%s\")",
		  ntohs((uint16_t)field_u(b, 2, 2)), text);
}

static void print_sin6(const struct arg_ctx *ctx, const unsigned char *b,
		       size_t len)
{
	struct strbuf *sb = ctx->sb;
	char text[INET6_ADDRSTRLEN];
	inet_ntop(AF_INET6, b + 8, text, sizeof text);
	sb_printf(sb, "sin6_port=htons(%u), sin6_flowinfo=htonl(%u), "
		  "inet_pton(AF_INET6, \"%s\", &sin6_addr)",
		  ntohs((uint16_t)field_u(b, 2, 2)),
		  ntohl((uint32_t)field_u(b, 4, 4)), text);
	if (len <= SIN6_MIN_LEN)
		return;
	/* (past LEN when it is 25 to 27: zeros, as strace reads it) */
	uint32_t scope = (uint32_t)field_u(b, 24, 4);
	const unsigned char *a = b + 8;
	bool link_local = (a[0] == 0xfe && (a[1] & 0xc0) == 0x80) ||
			  (a[0] == 0xff && (a[1] & 0x0f) == 0x2);
	sb_puts(sb, ", sin6_scope_id=");
	if (link_local)
		print_ifindex(sb, scope);
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
	sb_puts(sb, "sll_protocol=htons(");
	ctx_print_enum(ctx, &xlat_ethertype, ntohs((uint16_t)field_u(b, 2, 2)),
		       "ETH_P_???");
	sb_puts(sb, "), sll_ifindex=");
	print_ifindex(sb, (uint32_t)field_u(b, 4, 4));
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
