/* Socket structures: sockaddr (AF_UNIX incl. abstract, AF_INET, AF_INET6,
 * AF_NETLINK, others as sa_data), socklen in-out values, msghdr with its
 * iovec and control messages (SCM_RIGHTS, SCM_CREDENTIALS). Socket
 * option values are in structs_sockopt.c.
 *
 * msghdr layouts: 64-bit {name 0, namelen 8, iov 16, iovlen 24, control
 * 32, controllen 40, flags 48} (56 bytes); i386 {0, 4, 8, 12, 16, 20, 24}
 * (28 bytes). cmsghdr: {size_t len; int level; int type;} aligned to the
 * word size. */
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
				uint32_t scope = (uint32_t)field_u(b, 24, 4);
				char ifname[IF_NAMESIZE];
				if (scope && if_indextoname(scope, ifname))
					sb_printf(sb, ", sin6_scope_id=if_nametoindex(\"%s\")",
						  ifname);
				else
					sb_printf(sb, ", sin6_scope_id=%u", scope);
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

/* ---- msghdr ---- */

struct msghdr_fields {
	uint64_t name, iov, iovlen, control, controllen;
	uint32_t namelen;
	int32_t flags;
};

static size_t msghdr_size(const struct arg_ctx *ctx)
{
	return ctx_word_size(ctx) == 4 ? 28 : 56;
}

static void msghdr_decode(const struct arg_ctx *ctx, const unsigned char *b,
			  struct msghdr_fields *m)
{
	unsigned w = ctx_word_size(ctx);
	m->name = field_u(b, 0, w);
	m->namelen = (uint32_t)field_u(b, w, 4);
	m->iov = field_u(b, 2 * w, w);
	m->iovlen = field_u(b, 3 * w, w);
	m->control = field_u(b, 4 * w, w);
	m->controllen = field_u(b, 5 * w, w);
	m->flags = (int32_t)field_s(b, 6 * w, 4);
}

/* Control messages are read in one bounded piece. */
#define CONTROL_MAX 4096

static void print_cmsg_data(const struct arg_ctx *ctx, int level, int type,
			    const unsigned char *data, size_t len)
{
	struct strbuf *sb = ctx->sb;
	sb_puts(sb, ", cmsg_data=");
	if (level == 1 && type == 1) {          /* SCM_RIGHTS */
		size_t n = len / 4, limit = (size_t)ctx_array_limit(ctx);
		sb_putc(sb, '[');
		for (size_t i = 0; i < n; i++) {
			if (i >= limit) {
				sb_puts(sb, ", ...");
				break;
			}
			sb_printf(sb, i ? ", %d" : "%d", (int)field_s(data, i * 4, 4));
		}
		sb_putc(sb, ']');
		return;
	}
	if (level == 1 && type == 2 && len >= 12) {   /* SCM_CREDENTIALS */
		sb_printf(sb, "{pid=%d, uid=%u, gid=%u}", (int)field_s(data, 0, 4),
			  (unsigned)field_u(data, 4, 4),
			  (unsigned)field_u(data, 8, 4));
		return;
	}
	size_t limit = ctx->d->config->string_limit;
	escape_quoted(sb, (const char *)data, len < limit ? len : limit,
		      ctx->d->config->escape, len > limit);
}

static void print_control(const struct arg_ctx *ctx, uint64_t addr,
			  uint64_t controllen)
{
	struct strbuf *sb = ctx->sb;
	unsigned w = ctx_word_size(ctx);
	size_t hdr = w + 8;
	size_t n = controllen > CONTROL_MAX ? CONTROL_MAX : (size_t)controllen;
	if (n < hdr) {
		ctx_print_ptr(ctx, addr);
		return;
	}
	unsigned char *buf = (unsigned char *)ctx_scratch(ctx, n);
	if (!ctx_read(ctx, addr, buf, n)) {
		ctx_print_ptr(ctx, addr);
		return;
	}
	uint64_t limit = ctx_array_limit(ctx);
	size_t off = 0;
	uint64_t count = 0;
	sb_putc(sb, '[');
	while (off + hdr <= n) {
		if (count)
			sb_puts(sb, ", ");
		if (count >= limit) {
			sb_puts(sb, "...");
			break;
		}
		uint64_t len = field_u(buf, off, w);
		int level = (int)field_s(buf, off + w, 4);
		int type = (int)field_s(buf, off + w + 4, 4);
		sb_printf(sb, "{cmsg_len=%llu, cmsg_level=", (unsigned long long)len);
		/* strace's cmsg_level says SOL_??? where its setsockopt says SOL_?? */
		ctx_print_enum(ctx, &xlat_sockopt_level, (uint64_t)(unsigned)level,
			       "SOL_???");
		sb_puts(sb, ", cmsg_type=");
		if (level == 1)
			ctx_print_enum(ctx, &xlat_scm_type, (uint64_t)(unsigned)type,
				       NULL);
		else
			sb_printf(sb, "%#x", (unsigned)type);
		if (len < hdr || len > n - off) {
			/* a length the buffer cannot hold: stop here */
			sb_puts(sb, ", ...}");
			count++;
			off = n;
			break;
		}
		print_cmsg_data(ctx, level, type, buf + off + hdr, (size_t)len - hdr);
		sb_putc(sb, '}');
		count++;
		off += (size_t)((len + w - 1) & ~(uint64_t)(w - 1));
	}
	sb_putc(sb, ']');
}

/* DATA_LIMIT: bytes of iov data to show (UINT64_MAX at entry, the
 * return value at exit). NAMELEN_IN: msg_namelen at entry, or UINT64_MAX
 * when unknown. */
static void print_msghdr_fields(const struct arg_ctx *ctx,
				const struct msghdr_fields *m,
				uint64_t data_limit, uint64_t namelen_in)
{
	struct strbuf *sb = ctx->sb;
	sb_puts(sb, "{msg_name=");
	uint64_t namelen = m->namelen;
	if (namelen_in < namelen)
		namelen = namelen_in;
	if (m->name && namelen)
		ctx_print_sockaddr(ctx, m->name, namelen);
	else
		ctx_print_ptr(ctx, m->name);
	if (namelen_in != UINT64_MAX && namelen_in != m->namelen)
		sb_printf(sb, ", msg_namelen=%u => %u", (unsigned)namelen_in,
			  m->namelen);
	else
		sb_printf(sb, ", msg_namelen=%u", m->namelen);
	sb_puts(sb, ", msg_iov=");
	ctx_print_iovec_data(ctx, m->iov, m->iovlen, data_limit);
	sb_printf(sb, ", msg_iovlen=%llu", (unsigned long long)m->iovlen);
	if (m->controllen) {
		sb_puts(sb, ", msg_control=");
		if (m->control)
			print_control(ctx, m->control, m->controllen);
		else
			sb_puts(sb, "NULL");
	}
	sb_printf(sb, ", msg_controllen=%llu, msg_flags=",
		  (unsigned long long)m->controllen);
	ctx_print_flags(ctx, &xlat_msg_flags, (uint32_t)m->flags);
	sb_putc(sb, '}');
}

void print_msghdr_in(const struct arg_ctx *ctx)
{
	unsigned char b[56];
	if (!ctx_fetch(ctx, ctx->value, b, msghdr_size(ctx)))
		return;
	struct msghdr_fields m;
	msghdr_decode(ctx, b, &m);
	print_msghdr_fields(ctx, &m, UINT64_MAX, UINT64_MAX);
}

/* Entry hook of msghdr_out: msg_namelen before the kernel updates it. */
void entry_save_msghdr(const struct arg_ctx *ctx)
{
	unsigned char b[56];
	if (ctx->value && ctx_read(ctx, ctx->value, b, msghdr_size(ctx)))
		ctx_save(ctx, field_u(b, ctx_word_size(ctx), 4));
}

void print_msghdr_out(const struct arg_ctx *ctx)
{
	uint64_t namelen_in;
	bool saved = ctx_saved(ctx, &namelen_in);
	if (ctx->is_error) {
		/* strace shows what the call was given */
		if (saved)
			sb_printf(ctx->sb, "{msg_namelen=%u}", (unsigned)namelen_in);
		else
			ctx_print_ptr(ctx, ctx->value);
		return;
	}
	unsigned char b[56];
	if (!ctx_fetch(ctx, ctx->value, b, msghdr_size(ctx)))
		return;
	struct msghdr_fields m;
	msghdr_decode(ctx, b, &m);
	print_msghdr_fields(ctx, &m, ctx->rval < 0 ? 0 : (uint64_t)ctx->rval,
			    saved ? namelen_in : UINT64_MAX);
}
