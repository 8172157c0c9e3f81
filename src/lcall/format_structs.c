/* Structures library calls point to: struct addrinfo (hints and result
 * lists), hostent, passwd, group. Layouts by the tracee's word size W, as
 * glibc and musl define them on Linux:
 *
 *   addrinfo  flags 0, family 4, socktype 8, protocol 12, addrlen 16,
 *             addr 16+W (aligned), canonname, next (W each): 48 / 32 bytes
 *   hostent   name 0, aliases W, addrtype 2W, length 2W+4, addr_list 2W+8
 *   passwd    name 0, passwd W, uid 2W, gid 2W+4, gecos 2W+8, dir 3W+8,
 *             shell 4W+8
 *   group     name 0, passwd W, gid 2W, mem 3W
 *
 * Lists and arrays stop after a few entries (more with -v), so a list
 * that loops (ai_next pointing back) ends with "...". */
#include "proto.h"

#include <arpa/inet.h>
#include <sys/socket.h>

#include "../decode/flags.h"
#include "../decode/structs.h"
#include "xlat_tables.h"

#define LIST_MAX 8
#define LIST_MAX_VERBOSE 64

static uint64_t list_limit(const struct arg_ctx *ctx)
{
	return ctx_verbose(ctx) ? LIST_MAX_VERBOSE : LIST_MAX;
}

/* The string at pointer field OFF of B. */
static void str_field(const struct arg_ctx *ctx, const unsigned char *b,
		      size_t off)
{
	unsigned w = ctx_word_size(ctx);
	ctx_print_cstring(ctx, field_u(b, off, w), ctx->d->config->string_limit);
}

/* A NULL-terminated array of strings at pointer field OFF of B. */
static void str_array_field(const struct arg_ctx *ctx, const unsigned char *b,
			    size_t off)
{
	struct arg_ctx sub = *ctx;
	sub.value = field_u(b, off, ctx_word_size(ctx));
	print_argv(&sub);
}

/* ---- struct addrinfo ---- */

struct ai_layout {
	size_t addr, canonname, next, size;
};

static struct ai_layout ai_layout(const struct arg_ctx *ctx)
{
	unsigned w = ctx_word_size(ctx);
	size_t addr = w == 8 ? 24 : 20;
	return (struct ai_layout){ addr, addr + w, addr + 2 * w, addr + 3 * w };
}

#define AI_SIZE_MAX 48

/* ai_family, ai_socktype and ai_protocol; 0 prints as 0 (what hints
 * leave unspecified). */
static void ai_family_type_proto(const struct arg_ctx *ctx,
				 const unsigned char *b)
{
	struct strbuf *sb = ctx->sb;
	uint32_t type = (uint32_t)field_u(b, 8, 4);
	uint32_t proto = (uint32_t)field_u(b, 12, 4);
	sb_puts(sb, "ai_family=");
	ctx_print_enum(ctx, &xlat_sock_domain, (uint32_t)field_u(b, 4, 4), NULL);
	sb_puts(sb, ", ai_socktype=");
	if (type) {
		struct arg_ctx sub = *ctx;
		sub.value = type;
		print_sock_type(&sub);
	} else {
		sb_putc(sb, '0');
	}
	/* getaddrinfo's protocols are IP protocols, whatever the family */
	sb_puts(sb, ", ai_protocol=");
	if (proto)
		ctx_print_enum(ctx, &xlat_inet_proto, proto, NULL);
	else
		sb_putc(sb, '0');
}

static void ai_flags(const struct arg_ctx *ctx, const unsigned char *b)
{
	sb_puts(ctx->sb, "ai_flags=");
	ctx_print_flags(ctx, &xlat_ai_flags, (uint32_t)field_u(b, 0, 4));
}

void lcall_print_addrinfo_hints(const struct arg_ctx *ctx, uint64_t addr)
{
	unsigned char b[AI_SIZE_MAX];
	if (!ctx_fetch(ctx, addr, b, ai_layout(ctx).size))
		return;
	sb_putc(ctx->sb, '{');
	ai_flags(ctx, b);
	sb_puts(ctx->sb, ", ");
	ai_family_type_proto(ctx, b);
	sb_putc(ctx->sb, '}');
}

/* One node of a result: the flags and ai_addrlen with -v only. */
static void ai_node(const struct arg_ctx *ctx, const unsigned char *b)
{
	struct ai_layout l = ai_layout(ctx);
	unsigned w = ctx_word_size(ctx);
	struct strbuf *sb = ctx->sb;
	uint32_t addrlen = (uint32_t)field_u(b, 16, 4);
	sb_putc(sb, '{');
	if (ctx_verbose(ctx)) {
		ai_flags(ctx, b);
		sb_puts(sb, ", ");
	}
	ai_family_type_proto(ctx, b);
	if (ctx_verbose(ctx))
		sb_printf(sb, ", ai_addrlen=%u", addrlen);
	sb_puts(sb, ", ai_addr=");
	ctx_print_sockaddr(ctx, field_u(b, l.addr, w), addrlen);
	if (field_u(b, l.canonname, w)) {
		sb_puts(sb, ", ai_canonname=");
		str_field(ctx, b, l.canonname);
	}
	sb_putc(sb, '}');
}

void lcall_print_addrinfo_list(const struct arg_ctx *ctx, uint64_t head)
{
	struct ai_layout l = ai_layout(ctx);
	unsigned w = ctx_word_size(ctx);
	struct strbuf *sb = ctx->sb;
	uint64_t limit = list_limit(ctx);
	unsigned char b[AI_SIZE_MAX];
	sb_putc(sb, '[');
	if (!head)
		sb_puts(sb, "NULL");
	uint64_t at = head;
	for (uint64_t i = 0; at; i++) {
		if (i)
			sb_puts(sb, ", ");
		if (i >= limit) {
			sb_puts(sb, "...");
			break;
		}
		/* an unreadable node: its address, and the list ends */
		if (!ctx_read(ctx, at, b, l.size)) {
			ctx_print_ptr(ctx, at);
			break;
		}
		ai_node(ctx, b);
		at = field_u(b, l.next, w);
	}
	sb_putc(sb, ']');
}

/* ---- struct hostent ---- */

/* One address of h_addr_list: LEN bytes of family FAMILY at ADDR. */
static void host_addr(const struct arg_ctx *ctx, uint64_t addr,
		      uint32_t family, uint32_t len)
{
	unsigned char a[16];
	char text[INET6_ADDRSTRLEN];
	if ((family == AF_INET && len == 4) || (family == AF_INET6 && len == 16)) {
		if (ctx_read(ctx, addr, a, len) &&
		    inet_ntop((int)family, a, text, sizeof text)) {
			if (family == AF_INET)
				sb_printf(ctx->sb, "inet_addr(\"%s\")", text);
			else
				sb_printf(ctx->sb, "inet_pton(AF_INET6, \"%s\")", text);
			return;
		}
	}
	ctx_print_ptr(ctx, addr);
}

struct host_addr_kind {
	uint32_t family, len;
};

static void print_host_addr(const struct arg_ctx *ctx, uint64_t ptr,
			    void *user)
{
	const struct host_addr_kind *kind = user;
	host_addr(ctx, ptr, kind->family, kind->len);
}

void lcall_print_hostent(const struct arg_ctx *ctx, uint64_t addr)
{
	unsigned w = ctx_word_size(ctx);
	unsigned char b[32];
	struct strbuf *sb = ctx->sb;
	if (!ctx_fetch(ctx, addr, b, 3 * w + 8))
		return;
	uint32_t family = (uint32_t)field_u(b, 2 * w, 4);
	uint32_t len = (uint32_t)field_u(b, 2 * w + 4, 4);
	sb_puts(sb, "{h_name=");
	str_field(ctx, b, 0);
	sb_puts(sb, ", h_aliases=");
	str_array_field(ctx, b, w);
	sb_puts(sb, ", h_addrtype=");
	ctx_print_enum(ctx, &xlat_sock_domain, family, NULL);
	sb_printf(sb, ", h_length=%u, h_addr_list=", len);
	struct host_addr_kind kind = { family, len };
	ctx_print_ptr_array(ctx, field_u(b, 2 * w + 8, w), list_limit(ctx),
			    print_host_addr, &kind);
	sb_putc(sb, '}');
}

/* ---- struct passwd, struct group ---- */

void lcall_print_passwd(const struct arg_ctx *ctx, uint64_t addr)
{
	unsigned w = ctx_word_size(ctx);
	unsigned char b[48];
	struct strbuf *sb = ctx->sb;
	if (!ctx_fetch(ctx, addr, b, 5 * w + 8))
		return;
	sb_puts(sb, "{pw_name=");
	str_field(ctx, b, 0);
	sb_puts(sb, ", pw_passwd=");
	str_field(ctx, b, w);
	sb_printf(sb, ", pw_uid=%u, pw_gid=%u, pw_gecos=",
		  (unsigned)field_u(b, 2 * w, 4), (unsigned)field_u(b, 2 * w + 4, 4));
	str_field(ctx, b, 2 * w + 8);
	sb_puts(sb, ", pw_dir=");
	str_field(ctx, b, 3 * w + 8);
	sb_puts(sb, ", pw_shell=");
	str_field(ctx, b, 4 * w + 8);
	sb_putc(sb, '}');
}

void lcall_print_group(const struct arg_ctx *ctx, uint64_t addr)
{
	unsigned w = ctx_word_size(ctx);
	unsigned char b[32];
	struct strbuf *sb = ctx->sb;
	if (!ctx_fetch(ctx, addr, b, 4 * w))
		return;
	sb_puts(sb, "{gr_name=");
	str_field(ctx, b, 0);
	sb_puts(sb, ", gr_passwd=");
	str_field(ctx, b, w);
	sb_printf(sb, ", gr_gid=%u, gr_mem=", (unsigned)field_u(b, 2 * w, 4));
	str_array_field(ctx, b, 3 * w);
	sb_putc(sb, '}');
}
