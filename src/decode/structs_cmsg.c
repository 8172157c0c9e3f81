/* Control messages of sendmsg/recvmsg (msg_control), as strace 6.1 prints
 * them: each cmsghdr's length, level and type, and the data of the types
 * strace decodes (SOL_SOCKET: SCM_RIGHTS, SCM_CREDENTIALS, SCM_SECURITY,
 * the SO_TIMESTAMP* families; SOL_IP: IP_PKTINFO, IP_TTL, IP_TOS,
 * IP_RECVOPTS, IP_RETOPTS, IP_RECVERR, IP_ORIGDSTADDR, IP_CHECKSUM);
 * no data for the others.
 *
 * cmsghdr: {size_t len; int level; int type;}, 16 bytes on 64-bit, 12 on
 * i386; each message starts at a word-aligned offset. The buffer is read
 * whole, at most net.core.optmem_max bytes (what the kernel accepts); an
 * unreadable one prints as the address. */
#include "structs.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "ptrc/decode.h"
#include "ptrc/escape.h"

/* strace's fallback when /proc/sys/net/core/optmem_max cannot be read:
 * sizeof(long long) * (2 * IOV_MAX + 512) */
#define OPTMEM_FALLBACK (8 * (2 * 1024 + 512))
/* ptrc's own bound on what it reads, whatever the sysctl says */
#define OPTMEM_CAP (1024 * 1024)

/* Level SOL_IP's types (linux/in.h) */
#define CMSG_IP_TOS 1
#define CMSG_IP_TTL 2
#define CMSG_IP_RECVOPTS 6
#define CMSG_IP_RETOPTS 7
#define CMSG_IP_PKTINFO 8
#define CMSG_IP_RECVERR 11
#define CMSG_IP_ORIGDSTADDR 20
#define CMSG_IP_CHECKSUM 23
#define CMSG_SCM_SECURITY 3

static size_t optmem_max(void)
{
	static size_t cached;
	if (cached)
		return cached;
	size_t value = OPTMEM_FALLBACK;
	FILE *f = fopen("/proc/sys/net/core/optmem_max", "re");
	if (f) {
		long v;
		if (fscanf(f, "%ld", &v) == 1 && v > 0)
			value = ((size_t)v + 7) & ~(size_t)7;
		fclose(f);
	}
	cached = value > OPTMEM_CAP ? OPTMEM_CAP : value;
	return cached;
}

/* One message's data: DATA, LEN bytes (within the buffer read). */
struct cmsg_data {
	const unsigned char *p;
	size_t len;
};

/* ---- SOL_SOCKET ---- */

/* How the elements of a data array print. */
enum cmsg_elem { ELEM_FD, ELEM_UINT, ELEM_XBYTE };

/* The data as an array, cut at -s elements: descriptors "[3, 4]" (with
 * -y their paths), unsigned ints "[64]", bytes in hex "[0x10, 0]". */
static void print_cmsg_array(const struct arg_ctx *ctx, struct cmsg_data d,
			     enum cmsg_elem kind)
{
	unsigned size = kind == ELEM_XBYTE ? 1 : 4;
	size_t n = d.len / size, limit = (size_t)ctx_array_limit(ctx);
	sb_putc(ctx->sb, '[');
	for (size_t i = 0; i < n; i++) {
		if (i)
			sb_puts(ctx->sb, ", ");
		if (i >= limit) {
			sb_puts(ctx->sb, "...");
			break;
		}
		uint32_t v = (uint32_t)field_u(d.p, i * size, size);
		if (kind == ELEM_FD)
			decode_fd(ctx->sb, ctx->call->tid, (int32_t)v,
				  ctx->d->config->decode_fds);
		else if (kind == ELEM_UINT)
			sb_printf(ctx->sb, "%u", v);
		else
			sb_printf(ctx->sb, v ? "%#x" : "%x", v);
	}
	sb_putc(ctx->sb, ']');
}


static void print_id(struct strbuf *sb, uint32_t id)
{
	if (id == UINT32_MAX)
		sb_puts(sb, "-1");
	else
		sb_printf(sb, "%u", id);
}

static void print_creds(const struct arg_ctx *ctx, struct cmsg_data d)
{
	sb_printf(ctx->sb, "{pid=%d, uid=", (int)field_s(d.p, 0, 4));
	print_id(ctx->sb, (uint32_t)field_u(d.p, 4, 4));
	sb_puts(ctx->sb, ", gid=");
	print_id(ctx->sb, (uint32_t)field_u(d.p, 8, 4));
	sb_putc(ctx->sb, '}');
}

static void print_security(const struct arg_ctx *ctx, struct cmsg_data d)
{
	escape_quoted(ctx->sb, (const char *)d.p, d.len, ctx->d->config->escape,
		      false);
}

/* COUNT times of WIDTH-byte fields ({sec, frac}), strace's format: the
 * seconds signed, the fraction unsigned at its width; "?" when the data
 * is too short ("???", strace's mark for a value it cannot show). */
static void print_times(const struct arg_ctx *ctx, struct cmsg_data d,
			unsigned width, unsigned count, const char *frac)
{
	size_t size = 2 * (size_t)width;
	if (d.len < size * count) {
		sb_puts(ctx->sb, "???");
		return;
	}
	if (count > 1)
		sb_putc(ctx->sb, '[');
	for (unsigned i = 0; i < count; i++)
		sb_printf(ctx->sb, "%s{tv_sec=%lld, %s=%llu}", i ? ", " : "",
			  (long long)field_s(d.p, i * size, width), frac,
			  (unsigned long long)field_u(d.p, i * size + width, width));
	if (count > 1)
		sb_putc(ctx->sb, ']');
}

/* The SOL_SOCKET types with data, by type: false for the others. */
static bool print_socket_data(const struct arg_ctx *ctx, int type,
			      struct cmsg_data d)
{
	unsigned w = ctx_word_size(ctx);
	switch (type) {
	case SCM_RIGHTS:
		if (d.len < 4)
			return false;
		sb_puts(ctx->sb, ", cmsg_data=");
		print_cmsg_array(ctx, d, ELEM_FD);
		return true;
	case SCM_CREDENTIALS:
		if (d.len < 12)
			return false;
		sb_puts(ctx->sb, ", cmsg_data=");
		print_creds(ctx, d);
		return true;
	}
	if (d.len < 1)
		return false;
	switch (type) {
	case CMSG_SCM_SECURITY:
		sb_puts(ctx->sb, ", cmsg_data=");
		print_security(ctx, d);
		return true;
	case SO_TIMESTAMP_OLD:
	case SO_TIMESTAMPNS_OLD:
	case SO_TIMESTAMPING_OLD:
		sb_puts(ctx->sb, ", cmsg_data=");
		print_times(ctx, d, w, type == SO_TIMESTAMPING_OLD ? 3 : 1,
			    type == SO_TIMESTAMP_OLD ? "tv_usec" : "tv_nsec");
		return true;
	case SO_TIMESTAMP_NEW:
	case SO_TIMESTAMPNS_NEW:
	case SO_TIMESTAMPING_NEW:
		sb_puts(ctx->sb, ", cmsg_data=");
		print_times(ctx, d, 8, type == SO_TIMESTAMPING_NEW ? 3 : 1,
			    type == SO_TIMESTAMP_NEW ? "tv_usec" : "tv_nsec");
		return true;
	}
	return false;
}

/* ---- SOL_IP ---- */

/* in_pktinfo {int ifindex; in_addr spec_dst, addr} */
static void print_pktinfo(const struct arg_ctx *ctx, struct cmsg_data d)
{
	struct strbuf *sb = ctx->sb;
	sb_puts(sb, "{ipi_ifindex=");
	ctx_print_ifindex(ctx, (uint32_t)field_u(d.p, 0, 4));
	sb_puts(sb, ", ");
	ctx_print_in_addr(ctx, "ipi_spec_dst", d.p + 4);
	sb_puts(sb, ", ");
	ctx_print_in_addr(ctx, "ipi_addr", d.p + 8);
	sb_putc(sb, '}');
}

/* sock_extended_err {u32 errno; u8 origin, type, code, pad; u32 info,
 * data} and the offender's sockaddr_in after it (32 bytes). */
static void print_recverr(const struct arg_ctx *ctx, struct cmsg_data d)
{
	sb_printf(ctx->sb, "{ee_errno=%u, ee_origin=%u, ee_type=%u, "
		  "ee_code=%u, ee_info=%u, ee_data=%u, offender=",
		  (unsigned)field_u(d.p, 0, 4), d.p[4], d.p[5], d.p[6],
		  (unsigned)field_u(d.p, 8, 4), (unsigned)field_u(d.p, 12, 4));
	ctx_print_sockaddr_buf(ctx, d.p + 16, 16);
	sb_putc(ctx->sb, '}');
}

/* The SOL_IP types with data, and the least length each needs. */
static bool print_ip_data(const struct arg_ctx *ctx, int type,
			  struct cmsg_data d)
{
	static const size_t min_len[] = {
		[CMSG_IP_TOS] = 1, [CMSG_IP_TTL] = 4, [CMSG_SCM_SECURITY] = 1,
		[CMSG_IP_RECVOPTS] = 1, [CMSG_IP_RETOPTS] = 1,
		[CMSG_IP_PKTINFO] = 12, [CMSG_IP_RECVERR] = 32,
		[CMSG_IP_ORIGDSTADDR] = 16, [CMSG_IP_CHECKSUM] = 4,
	};
	if (type < 0 || (size_t)type >= ARRAY_COUNT(min_len) ||
	    !min_len[type] || d.len < min_len[type])
		return false;
	sb_puts(ctx->sb, ", cmsg_data=");
	switch (type) {
	case CMSG_IP_PKTINFO:
		print_pktinfo(ctx, d);
		break;
	case CMSG_IP_TTL:
	case CMSG_IP_CHECKSUM:
		print_cmsg_array(ctx, d, ELEM_UINT);
		break;
	case CMSG_IP_RECVERR:
		print_recverr(ctx, d);
		break;
	case CMSG_IP_ORIGDSTADDR:
		ctx_print_sockaddr_buf(ctx, d.p, d.len > 128 ? 128 : d.len);
		break;
	case CMSG_SCM_SECURITY:
		print_security(ctx, d);
		break;
	default:
		print_cmsg_array(ctx, d, ELEM_XBYTE);
	}
	return true;
}

/* ---- the messages ---- */

static void print_one(const struct arg_ctx *ctx, uint64_t len, int level,
		      int type, struct cmsg_data d)
{
	struct strbuf *sb = ctx->sb;
	sb_printf(sb, "{cmsg_len=%llu, cmsg_level=", (unsigned long long)len);
	/* strace's cmsg_level says SOL_??? where its setsockopt says SOL_?? */
	ctx_print_enum(ctx, &xlat_sockopt_level, (uint32_t)level, "SOL_???");
	sb_puts(sb, ", cmsg_type=");
	if (level == SOL_SOCKET) {
		ctx_print_enum(ctx, &xlat_scm_type, (uint32_t)type, NULL);
		print_socket_data(ctx, type, d);
	} else if (level == 0 /* SOL_IP */) {
		ctx_print_enum(ctx, &xlat_cmsg_ip_type, (uint32_t)type, NULL);
		print_ip_data(ctx, type, d);
	} else {
		sb_printf(sb, "%#x", (unsigned)type);
	}
	sb_putc(sb, '}');
}

void ctx_print_msg_control(const struct arg_ctx *ctx, uint64_t addr,
			   uint64_t controllen)
{
	unsigned w = ctx_word_size(ctx);
	size_t hdr = w == 4 ? 12 : 16;
	size_t max = optmem_max();
	size_t control_len = controllen > max ? max : (size_t)controllen;
	size_t left = control_len;
	unsigned char *buf = left < hdr ? NULL :
			     (unsigned char *)ctx_scratch(ctx, left);
	if (!buf || !ctx_read(ctx, addr, buf, left)) {
		ctx_print_ptr(ctx, addr);
		return;
	}
	struct strbuf *sb = ctx->sb;
	const unsigned char *p = buf;
	sb_putc(sb, '[');
	while (left >= hdr) {
		uint64_t cmsg_len = field_u(p, 0, w);
		if (p != buf)
			sb_puts(sb, ", ");
		uint64_t len = cmsg_len > left ? left : cmsg_len;
		struct cmsg_data d = { p + hdr, len > hdr ? (size_t)len - hdr : 0 };
		print_one(ctx, cmsg_len, (int)field_s(p, w, 4),
			  (int)field_s(p, w + 4, 4), d);
		if (len < hdr) {
			left -= hdr;
			break;
		}
		uint64_t step = (cmsg_len + w - 1) & ~(uint64_t)(w - 1);
		if (step >= left || step < cmsg_len) {   /* (or it wrapped) */
			left = 0;
			break;
		}
		p += step;
		left -= (size_t)step;
	}
	if (left)
		sb_printf(sb, ", ... /* %#llx */",
			  (unsigned long long)call_word(ctx->call,
							addr + control_len - left));
	else if (control_len < controllen)
		sb_puts(sb, ", ...");
	sb_putc(sb, ']');
}
