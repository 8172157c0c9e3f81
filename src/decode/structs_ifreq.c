/* The socket ioctls of struct ifreq and struct ifconf (type 0x89), as
 * strace 6.1 prints them: the SIOCSIF* setters at entry ({ifr_name="lo",
 * ifr_mtu=1500}), the SIOCGIF* getters with the part the caller filled at
 * entry and the kernel's answer at exit, SIOCGIFCONF's length and array,
 * the bridge calls (SIOCBRADDBR's name, SIOCBRADDIF's interface index).
 * What the call reads at entry is saved then (the layout's entry hook), so
 * the line shows what the kernel was given even though it is printed at
 * exit. The layouts: 40 bytes of ifreq on 64-bit tracees (a 16-byte name,
 * a 24-byte union), 32 on i386 (its ifmap has 32-bit addresses). */
#include "structs.h"

#include <stdio.h>
#include <string.h>
#include <linux/sockios.h>

#include "flags.h"

#define IFNAMSIZ_ 16
#define IFREQ_UNION 16     /* offsetof(struct ifreq, ifr_ifru) */
#define IFREQ_SIZE_MAX 40
#define SOCKADDR_SIZE 16   /* sizeof(struct sockaddr) */
#define SA_DATA_SIZE 14

static size_t ifreq_size(const struct arg_ctx *ctx)
{
	return ctx_word_size(ctx) == 8 ? 40 : 32;
}

/* How many bytes of sa_data a hardware address of TYPE has (the kernel's
 * *_ALEN for the ARPHRD_* types; strace prints those bytes alone).
 * Types not listed show all 14. */
static const struct { uint16_t type; uint8_t len; } hwaddr_lens[] = {
	{ 0, 7 },     /* ARPHRD_NETROM: AX25_ADDR_LEN */
	{ 1, 6 },     /* ARPHRD_ETHER: ETH_ALEN */
	{ 3, 7 },     /* ARPHRD_AX25 */
	{ 6, 6 },     /* ARPHRD_IEEE802: FC_ALEN */
	{ 7, 1 },     /* ARPHRD_ARCNET */
	{ 15, 2 },    /* ARPHRD_DLCI: a short */
	{ 24, 16 },   /* ARPHRD_IEEE1394: FWNET_ALEN */
	{ 27, 8 },    /* ARPHRD_EUI64 */
	{ 32, 20 },   /* ARPHRD_INFINIBAND */
	{ 256, 0 },   /* ARPHRD_SLIP */
	{ 270, 5 },   /* ARPHRD_ROSE */
	{ 271, 0 },   /* ARPHRD_X25 */
	{ 280, 0 },   /* ARPHRD_CAN */
	{ 290, 1 },   /* ARPHRD_MCTP */
	{ 512, 0 },   /* ARPHRD_PPP */
	{ 518, 0 },   /* ARPHRD_RAWHDLC */
	{ 519, 0 },   /* ARPHRD_RAWIP */
	{ 768, 4 },   /* ARPHRD_TUNNEL: IPIP */
	{ 769, 16 },  /* ARPHRD_TUNNEL6 */
	{ 772, 6 },   /* ARPHRD_LOOPBACK */
	{ 773, 1 },   /* ARPHRD_LOCALTLK */
	{ 774, 6 },   /* ARPHRD_FDDI */
	{ 776, 4 },   /* ARPHRD_SIT */
	{ 777, 0 },   /* ARPHRD_IPDDP */
	{ 778, 4 },   /* ARPHRD_IPGRE */
	{ 779, 0 },   /* ARPHRD_PIMREG */
	{ 780, 6 },   /* ARPHRD_HIPPI */
	{ 783, 4 },   /* ARPHRD_IRDA */
	{ 801, 6 },   /* ARPHRD_IEEE80211 */
	{ 802, 6 },   /* ARPHRD_IEEE80211_PRISM */
	{ 803, 6 },   /* ARPHRD_IEEE80211_RADIOTAP */
	{ 804, 8 },   /* ARPHRD_IEEE802154 */
	{ 805, 8 },   /* ARPHRD_IEEE802154_MONITOR */
	{ 820, 1 },   /* ARPHRD_PHONET */
	{ 821, 1 },   /* ARPHRD_PHONET_PIPE */
	{ 822, 0 },   /* ARPHRD_CAIF */
	{ 823, 16 },  /* ARPHRD_IP6GRE */
	{ 824, 0 },   /* ARPHRD_NETLINK */
	{ 825, 8 },   /* ARPHRD_6LOWPAN */
	{ 826, 0 },   /* ARPHRD_VSOCKMON */
};

static size_t hwaddr_len(unsigned type)
{
	for (size_t i = 0; i < ARRAY_COUNT(hwaddr_lens); i++)
		if (hwaddr_lens[i].type == type)
			return hwaddr_lens[i].len;
	return SA_DATA_SIZE;
}

/* {sa_family=ARPHRD_ETHER, sa_data=00:11:22:33:44:55}; -X raw: the 14
 * bytes in hex; verbose: both. */
static void print_hwaddr(const struct arg_ctx *ctx, const unsigned char *sa)
{
	unsigned type = (unsigned)field_u(sa, 0, 2);
	sb_puts(ctx->sb, "{sa_family=");
	ctx_print_enum(ctx, &xlat_arphrd_type, type, NULL);
	sb_puts(ctx->sb, ", sa_data=");
	char text[SA_DATA_SIZE * 3 + 1] = "";
	size_t len = hwaddr_len(type), n = 0;
	for (size_t i = 0; i < len; i++)
		n += (size_t)snprintf(text + n, sizeof text - n, "%s%02x",
				      i ? ":" : "", sa[2 + i]);
	ctx_print_net_bytes(ctx, sa + 2, SA_DATA_SIZE, text);
	sb_putc(ctx->sb, '}');
}

/* A NUL-terminated name in a SIZE-byte field, as strace's
 * print_quoted_cstring: at most SIZE - 1 bytes, "..." when no NUL ends
 * the field. */
static void print_name_field(const struct arg_ctx *ctx, const char *name,
			     const unsigned char *b, size_t size)
{
	sb_printf(ctx->sb, "%s=", name);
	ctx_print_fixed_string(ctx, (const char *)b, size);
}

static void print_ifmap(const struct arg_ctx *ctx, const unsigned char *u)
{
	unsigned w = ctx_word_size(ctx);
	sb_printf(ctx->sb, "ifr_map={mem_start=%#llx, mem_end=%#llx, "
		  "base_addr=%#x, irq=%#x, dma=%#x, port=%#x}",
		  (unsigned long long)field_u(u, 0, w),
		  (unsigned long long)field_u(u, w, w),
		  (unsigned)field_u(u, 2 * w, 2), u[2 * w + 2], u[2 * w + 3],
		  u[2 * w + 4]);
}

static void print_ifr_sockaddr(const struct arg_ctx *ctx, const char *name,
			       const unsigned char *u)
{
	sb_printf(ctx->sb, "%s=", name);
	ctx_print_sockaddr_buf(ctx, u, SOCKADDR_SIZE);
}

/* The union's field the command reads or fills (strace's print_ifreq). */
static void print_ifreq_field(const struct arg_ctx *ctx, uint32_t cmd,
			      const unsigned char *b)
{
	const unsigned char *u = b + IFREQ_UNION;
	struct strbuf *sb = ctx->sb;
	switch (cmd) {
	case SIOCSIFADDR: case SIOCGIFADDR:
		print_ifr_sockaddr(ctx, "ifr_addr", u);
		return;
	case SIOCSIFDSTADDR: case SIOCGIFDSTADDR:
		print_ifr_sockaddr(ctx, "ifr_dstaddr", u);
		return;
	case SIOCSIFBRDADDR: case SIOCGIFBRDADDR:
		print_ifr_sockaddr(ctx, "ifr_broadaddr", u);
		return;
	case SIOCSIFNETMASK: case SIOCGIFNETMASK:
		print_ifr_sockaddr(ctx, "ifr_netmask", u);
		return;
	case SIOCADDMULTI: case SIOCDELMULTI: case SIOCGIFHWADDR:
	case SIOCSIFHWADDR: case SIOCSIFHWBROADCAST:
		sb_puts(sb, "ifr_hwaddr=");
		print_hwaddr(ctx, u);
		return;
	case SIOCSIFFLAGS: case SIOCGIFFLAGS:
		sb_puts(sb, "ifr_flags=");
		ctx_print_flags(ctx, &xlat_iff_flags, field_u(u, 0, 2));
		return;
	case SIOCGIFINDEX:
		sb_printf(sb, "ifr_ifindex=%d", (int)field_s(u, 0, 4));
		return;
	case SIOCSIFMETRIC: case SIOCGIFMETRIC:
		sb_printf(sb, "ifr_metric=%d", (int)field_s(u, 0, 4));
		return;
	case SIOCSIFMTU: case SIOCGIFMTU:
		sb_printf(sb, "ifr_mtu=%d", (int)field_s(u, 0, 4));
		return;
	case SIOCSIFTXQLEN: case SIOCGIFTXQLEN:
		sb_printf(sb, "ifr_qlen=%d", (int)field_s(u, 0, 4));
		return;
	case SIOCSIFSLAVE: case SIOCGIFSLAVE:
		print_name_field(ctx, "ifr_slave", u, IFNAMSIZ_);
		return;
	case SIOCSIFNAME:
		print_name_field(ctx, "ifr_newname", u, IFNAMSIZ_);
		return;
	case SIOCGIFNAME:
		print_name_field(ctx, "ifr_name", b, IFNAMSIZ_);
		return;
	case SIOCSIFMAP: case SIOCGIFMAP:
		print_ifmap(ctx, u);
		return;
	}
}

static uint32_t ctx_ioctl_cmd(const struct arg_ctx *ctx)
{
	return (uint32_t)ctx_arg(ctx, ctx->index - 1);
}

/* The setters: {ifr_name="eth0", ifr_mtu=1500} at entry. */
static void print_ifreq_set(const struct arg_ctx *ctx)
{
	unsigned char b[IFREQ_SIZE_MAX];
	if (!ctx_fetch(ctx, ctx->value, b, ifreq_size(ctx)))
		return;
	print_name_field(ctx, "{ifr_name", b, IFNAMSIZ_);
	sb_puts(ctx->sb, ", ");
	print_ifreq_field(ctx, ctx_ioctl_cmd(ctx), b);
	sb_putc(ctx->sb, '}');
}

/* The entry's ifreq (or ifconf), kept for the exit: value 1 and the
 * bytes, or value 0 when it could not be read. */
static void save_struct(const struct arg_ctx *ctx, size_t size)
{
	uint32_t words[IFREQ_SIZE_MAX / 4] = { 0 };
	bool ok = ctx->value && ctx_read(ctx, ctx->value, words, size);
	ctx_save_list(ctx, ok, words, ok ? (size + 3) / 4 : 0);
}

/* The entry's bytes into B: false when the entry could not read them;
 * when nothing was saved (attached during the call), the exit's. */
static bool saved_struct(const struct arg_ctx *ctx, unsigned char *b,
			 size_t size)
{
	uint64_t ok;
	const uint32_t *words = ctx_saved_list(ctx, &ok);
	if (!words)
		return ctx->value && ctx_read(ctx, ctx->value, b, size);
	if (ok)
		memcpy(b, words, size);
	return ok;
}

static void entry_save_ifreq(const struct arg_ctx *ctx)
{
	save_struct(ctx, ifreq_size(ctx));
}

/* The getters: what the caller gave (the name, or SIOCGIFNAME's index)
 * and, when the call succeeded, the field the kernel filled. */
static void print_ifreq_get(const struct arg_ctx *ctx)
{
	unsigned char in[IFREQ_SIZE_MAX], out[IFREQ_SIZE_MAX];
	size_t size = ifreq_size(ctx);
	uint32_t cmd = ctx_ioctl_cmd(ctx);
	if (!saved_struct(ctx, in, size)) {
		ctx_print_ptr(ctx, ctx->value);
		return;
	}
	if (cmd == SIOCGIFNAME)
		sb_printf(ctx->sb, "{ifr_ifindex=%d",
			  (int)field_s(in, IFREQ_UNION, 4));
	else
		print_name_field(ctx, "{ifr_name", in, IFNAMSIZ_);
	if (!ctx->is_error && ctx_read(ctx, ctx->value, out, size)) {
		sb_puts(ctx->sb, ", ");
		print_ifreq_field(ctx, cmd, out);
	}
	sb_putc(ctx->sb, '}');
}

/* SIOCBRADDIF/SIOCBRDELIF: {ifr_ifindex=if_nametoindex("eth0")}. */
static void print_ifreq_ifindex(const struct arg_ctx *ctx)
{
	unsigned char b[IFREQ_SIZE_MAX];
	if (!ctx_fetch(ctx, ctx->value, b, ifreq_size(ctx)))
		return;
	sb_puts(ctx->sb, "{ifr_ifindex=");
	ctx_print_ifindex(ctx, (uint32_t)field_u(b, IFREQ_UNION, 4));
	sb_putc(ctx->sb, '}');
}

/* SIOCBRADDBR/SIOCBRDELBR: the bridge's name, at most IFNAMSIZ bytes. */
static void print_bridge_name(const struct arg_ctx *ctx)
{
	ctx_print_cstring_len(ctx, ctx->value, IFNAMSIZ_);
}

/* ---- SIOCGIFCONF: struct ifconf {int ifc_len; char *ifc_buf;} ---- */

static size_t ifconf_size(const struct arg_ctx *ctx)
{
	return ctx_word_size(ctx) == 8 ? 16 : 8;
}

static uint64_t ifconf_buf(const struct arg_ctx *ctx, const unsigned char *b)
{
	unsigned w = ctx_word_size(ctx);
	return field_u(b, w, w);
}

/* "80 / * 2 * sizeof(struct ifreq) * /" */
static void print_ifc_len(const struct arg_ctx *ctx, int32_t len)
{
	sb_printf(ctx->sb, "%d", (int)len);
	size_t size = ifreq_size(ctx);
	if (len > 0 && (uint32_t)len % size == 0)
		sb_printf(ctx->sb, " /* %u * sizeof(struct ifreq) */",
			  (unsigned)((uint32_t)len / size));
}

static bool print_ifconf_entry(const struct arg_ctx *ctx, const void *elem,
			       void *user)
{
	(void)user;
	const unsigned char *b = elem;
	print_name_field(ctx, "{ifr_name", b, IFNAMSIZ_);
	sb_puts(ctx->sb, ", ");
	print_ifr_sockaddr(ctx, "ifr_addr", b + IFREQ_UNION);
	sb_putc(ctx->sb, '}');
	return true;
}

static void entry_save_ifconf(const struct arg_ctx *ctx)
{
	save_struct(ctx, ifconf_size(ctx));
}

/* strace's two modes: ifc_buf NULL asks for the length the kernel needs
 * (shown at exit); otherwise the length offered, "=> " the length used,
 * and the entries filled. */
static void print_ifconf(const struct arg_ctx *ctx)
{
	unsigned char in[16], out[16];
	size_t size = ifconf_size(ctx);
	if (!saved_struct(ctx, in, size)) {
		ctx_print_ptr(ctx, ctx->value);
		return;
	}
	int32_t len_in = (int32_t)field_u(in, 0, 4);
	uint64_t buf_in = ifconf_buf(ctx, in);
	sb_puts(ctx->sb, "{ifc_len=");
	if (buf_in)
		print_ifc_len(ctx, len_in);
	if (!ctx_read(ctx, ctx->value, out, size)) {
		if (!buf_in)
			print_ifc_len(ctx, len_in);
		sb_puts(ctx->sb, ", ifc_buf=");
		ctx_print_ptr(ctx, buf_in);
		sb_putc(ctx->sb, '}');
		return;
	}
	int32_t len_out = (int32_t)field_u(out, 0, 4);
	uint64_t buf_out = ifconf_buf(ctx, out);
	if (buf_in && len_in != len_out)
		sb_puts(ctx->sb, " => ");
	if (!buf_in || len_in != len_out)
		print_ifc_len(ctx, len_out);
	sb_puts(ctx->sb, ", ifc_buf=");
	if (!buf_in || ctx->is_error) {
		ctx_print_ptr(ctx, buf_in);
		if (buf_in != buf_out) {
			sb_puts(ctx->sb, " => ");
			ctx_print_ptr(ctx, buf_out);
		}
	} else {
		/* ifc_len is an int: a negative one counts as huge, as in
		 * strace, and the array stops at -s elements */
		uint64_t count = (uint64_t)(int64_t)len_out / ifreq_size(ctx);
		ctx_print_array(ctx, buf_out, count, ifreq_size(ctx),
				print_ifconf_entry, NULL);
	}
	sb_putc(ctx->sb, '}');
}

bool layout_sock_ioctl(uint32_t cmd, struct arg_layout *arg)
{
	switch (cmd) {
	case SIOCGIFCONF:
		arg->print = print_ifconf;
		arg->entry_hook = entry_save_ifconf;
		arg->at_exit = true;
		return true;
	case SIOCBRADDBR: case SIOCBRDELBR:
		arg->print = print_bridge_name;
		return true;
	case SIOCBRADDIF: case SIOCBRDELIF:
		arg->print = print_ifreq_ifindex;
		return true;
	case SIOCADDMULTI: case SIOCDELMULTI: case SIOCSIFADDR:
	case SIOCSIFBRDADDR: case SIOCSIFDSTADDR: case SIOCSIFFLAGS:
	case SIOCSIFHWADDR: case SIOCSIFHWBROADCAST: case SIOCSIFMAP:
	case SIOCSIFMETRIC: case SIOCSIFMTU: case SIOCSIFNAME:
	case SIOCSIFNETMASK: case SIOCSIFSLAVE: case SIOCSIFTXQLEN:
		arg->print = print_ifreq_set;
		return true;
	case SIOCGIFADDR: case SIOCGIFBRDADDR: case SIOCGIFDSTADDR:
	case SIOCGIFFLAGS: case SIOCGIFHWADDR: case SIOCGIFINDEX:
	case SIOCGIFMAP: case SIOCGIFMETRIC: case SIOCGIFMTU:
	case SIOCGIFNAME: case SIOCGIFNETMASK: case SIOCGIFSLAVE:
	case SIOCGIFTXQLEN:
		arg->print = print_ifreq_get;
		arg->entry_hook = entry_save_ifreq;
		arg->at_exit = true;
		return true;
	}
	return false;
}
