/* The structures of socket options (structs_sockopt.h). Layouts, the same
 * for every word size unless said: linger {int l_onoff, l_linger} (8),
 * ucred {pid, uid, gid} (12), ip_mreq {2 in_addr} (8), ipv6_mreq
 * {in6_addr, int ifindex} (20), group_req {u32 gr_interface;
 * sockaddr_storage gr_group} at 8 (136) on 64-bit, at 4 (132) on i386,
 * tpacket_req {4 u32} (16), packet_mreq {int ifindex; u16 type, alen;
 * u8 address[8]} (16), tpacket_stats {3 u32} (12). */
#include "structs.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>

#include "structs_sockopt.h"

#define SOCKADDR_STORAGE_SIZE 128

/* Read exactly LEN bytes at ADDR into BUF, or print the address. A LEN
 * the caller did not check against BUF's size is refused the same way. */
static bool fetch_len(const struct arg_ctx *ctx, uint64_t addr, void *buf,
		      size_t size, int len)
{
	if (len < 0 || (size_t)len > size) {
		ctx_print_ptr(ctx, addr);
		return false;
	}
	return ctx_fetch(ctx, addr, buf, (size_t)len);
}

/* ---- setsockopt: whole structures ---- */

/* Read a SIZE-byte structure when LEN holds it, else print the address. */
static bool fetch_whole(const struct arg_ctx *ctx, uint64_t addr, void *buf,
			size_t size, int len)
{
	if (len < (int)size) {
		ctx_print_ptr(ctx, addr);
		return false;
	}
	return ctx_fetch(ctx, addr, buf, size);
}

void print_set_linger(const struct arg_ctx *ctx, uint64_t addr, int len)
{
	unsigned char b[8];
	if (!fetch_whole(ctx, addr, b, sizeof b, len))
		return;
	sb_printf(ctx->sb, "{l_onoff=%d, l_linger=%d}", (int)field_s(b, 0, 4),
		  (int)field_s(b, 4, 4));
}

void print_ip_mreq(const struct arg_ctx *ctx, uint64_t addr, int len)
{
	unsigned char b[8];
	if (!fetch_whole(ctx, addr, b, sizeof b, len))
		return;
	sb_putc(ctx->sb, '{');
	ctx_print_in_addr(ctx, "imr_multiaddr", b);
	sb_puts(ctx->sb, ", ");
	ctx_print_in_addr(ctx, "imr_interface", b + 4);
	sb_putc(ctx->sb, '}');
}

void print_ipv6_mreq(const struct arg_ctx *ctx, uint64_t addr, int len)
{
	unsigned char b[20];
	if (!fetch_whole(ctx, addr, b, sizeof b, len))
		return;
	sb_putc(ctx->sb, '{');
	ctx_print_in6_addr(ctx, "ipv6mr_multiaddr", b);
	sb_puts(ctx->sb, ", ipv6mr_interface=");
	ctx_print_ifindex(ctx, (uint32_t)field_u(b, 16, 4));
	sb_putc(ctx->sb, '}');
}

void print_group_req(const struct arg_ctx *ctx, uint64_t addr, int len)
{
	size_t group_off = ctx_word_size(ctx) == 4 ? 4 : 8;
	size_t size = group_off + SOCKADDR_STORAGE_SIZE;
	unsigned char b[8 + SOCKADDR_STORAGE_SIZE];
	if (!fetch_whole(ctx, addr, b, size, len))
		return;
	sb_puts(ctx->sb, "{gr_interface=");
	ctx_print_ifindex(ctx, (uint32_t)field_u(b, 0, 4));
	sb_puts(ctx->sb, ", gr_group=");
	ctx_print_sockaddr_buf(ctx, b + group_off, SOCKADDR_STORAGE_SIZE);
	sb_putc(ctx->sb, '}');
}

void print_tpacket_req(const struct arg_ctx *ctx, uint64_t addr, int len)
{
	unsigned char b[16];
	if (len != (int)sizeof b || !ctx_read(ctx, addr, b, sizeof b)) {
		ctx_print_ptr(ctx, addr);
		return;
	}
	sb_printf(ctx->sb, "{tp_block_size=%u, tp_block_nr=%u, "
		  "tp_frame_size=%u, tp_frame_nr=%u}",
		  (unsigned)field_u(b, 0, 4), (unsigned)field_u(b, 4, 4),
		  (unsigned)field_u(b, 8, 4), (unsigned)field_u(b, 12, 4));
}

void print_packet_mreq(const struct arg_ctx *ctx, uint64_t addr, int len)
{
	unsigned char b[16];
	if (len != (int)sizeof b || !ctx_read(ctx, addr, b, sizeof b)) {
		ctx_print_ptr(ctx, addr);
		return;
	}
	struct strbuf *sb = ctx->sb;
	unsigned alen = (unsigned)field_u(b, 6, 2);
	sb_puts(sb, "{mr_ifindex=");
	ctx_print_ifindex(ctx, (uint32_t)field_u(b, 0, 4));
	sb_puts(sb, ", mr_type=");
	ctx_print_enum(ctx, &xlat_packet_mreq_type, field_u(b, 4, 2), NULL);
	sb_printf(sb, ", mr_alen=%u, mr_address=", alen);
	/* the address array holds 8 bytes, whatever mr_alen says */
	size_t n = alen < 8 ? alen : 8;
	char text[3 * 8] = "";
	size_t used = 0;
	for (size_t i = 0; i < n; i++)
		used += (size_t)snprintf(text + used, sizeof text - used,
					 i ? ":%02x" : "%02x", b[8 + i]);
	ctx_print_net_bytes(ctx, b + 8, n, text);
	sb_putc(sb, '}');
}

/* ---- getsockopt: the fields the returned length covers ---- */

/* strace's MAYBE_PRINT_FIELD_LEN: a field LEN covers wholly is printed
 * by the caller (true returned, after SEP and "NAME="); a field LEN cuts
 * prints its bytes in hex; one LEN ends before prints nothing. */
static bool field_covered(const struct arg_ctx *ctx, const unsigned char *b,
			  size_t len, size_t off, size_t size, const char *sep,
			  const char *name)
{
	if (len <= off)
		return false;
	sb_printf(ctx->sb, "%s%s=", sep, name);
	if (len >= off + size)
		return true;
	escape_quoted(ctx->sb, (const char *)b + off, len - off,
		      ESCAPE_HEX_ALL, false);
	return false;
}

/* How a 32-bit field prints: signed, unsigned, or as a uid/gid (-1 as
 * -1, else unsigned). */
enum u32_format { U32_SIGNED, U32_UNSIGNED, U32_ID };

struct u32_field {
	const char *name;
	enum u32_format format;
};

/* A structure of COUNT 32-bit FIELDS, of which the kernel returned LEN
 * bytes (more are ignored). */
static void print_u32_fields(const struct arg_ctx *ctx, uint64_t addr, int len,
			     const struct u32_field *fields, size_t count)
{
	unsigned char b[16];
	size_t size = 4 * count;
	if (len > (int)size)
		len = (int)size;
	if (!fetch_len(ctx, addr, b, sizeof b, len))
		return;
	for (size_t i = 0; i < count; i++) {
		if (!field_covered(ctx, b, (size_t)len, 4 * i, 4, i ? ", " : "{",
				   fields[i].name))
			continue;
		uint32_t v = (uint32_t)field_u(b, 4 * i, 4);
		if (fields[i].format == U32_SIGNED)
			sb_printf(ctx->sb, "%d", (int32_t)v);
		else if (fields[i].format == U32_ID && v == UINT32_MAX)
			sb_puts(ctx->sb, "-1");
		else
			sb_printf(ctx->sb, "%u", v);
	}
	sb_putc(ctx->sb, '}');
}

void print_get_linger(const struct arg_ctx *ctx, uint64_t addr, int len)
{
	static const struct u32_field fields[] = {
		{ "l_onoff", U32_SIGNED }, { "l_linger", U32_SIGNED },
	};
	print_u32_fields(ctx, addr, len, fields, ARRAY_COUNT(fields));
}

void print_get_ucred(const struct arg_ctx *ctx, uint64_t addr, int len)
{
	static const struct u32_field fields[] = {
		{ "pid", U32_SIGNED }, { "uid", U32_ID }, { "gid", U32_ID },
	};
	print_u32_fields(ctx, addr, len, fields, ARRAY_COUNT(fields));
}

void print_tpacket_stats(const struct arg_ctx *ctx, uint64_t addr, int len)
{
	static const struct u32_field fields[] = {
		{ "tp_packets", U32_UNSIGNED }, { "tp_drops", U32_UNSIGNED },
		{ "tp_freeze_q_cnt", U32_UNSIGNED },
	};
	print_u32_fields(ctx, addr, len, fields, ARRAY_COUNT(fields));
}
