/* Multiplexing calls whose command decides what the other arguments are,
 * and which of them strace prints: fcntl, ioctl, futex (prctl is in
 * flags_prctl.c). Each has a printer for the command, a layout for the
 * arguments after it (printers.h) and, where strace decodes it, a return
 * printer. */
#include "flags.h"

#include <fcntl.h>
#include <string.h>
#include <linux/futex.h>
#include <linux/sockios.h>
#include <sys/ioctl.h>

#include "structs.h"
#include "xlat.h"
#include "xlat_tables.h"

static void omit_from(struct arg_layout layout[SYSCALL_MAX_ARGS], unsigned first)
{
	for (unsigned i = first; i < SYSCALL_MAX_ARGS; i++)
		layout[i].omit = true;
}

/* An int the call points to: "[1]", or the address when unreadable. */
static void print_int_ref(const struct arg_ctx *ctx)
{
	int32_t v;
	if ((ctx->exiting && ctx->is_error) ||
	    !ctx_read(ctx, ctx->value, &v, sizeof v))
		ctx_print_ptr(ctx, ctx->value);
	else
		sb_printf(ctx->sb, "[%d]", (int)v);
}

/* ---- fcntl(fd, cmd, arg) ---- */

#define FCNTL_ARG_CMD 1

void print_fcntl_cmd(const struct arg_ctx *ctx)
{
	ctx_print_enum(ctx, &xlat_fcntl_cmd, (uint32_t)ctx->value, NULL);
}

static void print_fd_flags(const struct arg_ctx *ctx)
{
	ctx_print_flags(ctx, &xlat_fd_flags, (uint32_t)ctx->value);
}

static void print_fcntl_oflags(const struct arg_ctx *ctx)
{
	print_open_flags(ctx->sb, ctx_xlat_style(ctx), ctx->value);
}

static void print_fcntl_signal(const struct arg_ctx *ctx)
{
	print_signal_number(ctx->sb, (uint32_t)ctx->value);
}

static void print_lease(const struct arg_ctx *ctx)
{
	ctx_print_enum(ctx, &xlat_lease_type, (uint32_t)ctx->value, NULL);
}

static void print_dnotify(const struct arg_ctx *ctx)
{
	ctx_print_flags(ctx, &xlat_dnotify_flags, (uint32_t)ctx->value);
}

static void print_seals(const struct arg_ctx *ctx)
{
	ctx_print_flags(ctx, &xlat_seal_flags, (uint32_t)ctx->value);
}

/* Commands numbered by the kernel's asm-generic/fcntl.h where glibc may
 * lack the name. */
#define CMD_F_GETLK64 12
#define CMD_F_SETLKW64 14
#define CMD_F_GETOWNER_UIDS 17
#define CMD_F_DUPFD_QUERY 1027
#define CMD_F_CREATED_QUERY 1028
#define CMD_F_CANCELLK 1029
#define CMD_F_ADD_SEALS 1033
#define CMD_F_GET_SEALS 1034

/* struct flock, as the tracee's ABI and the command lay it out: 64-bit
 * tracees have one layout (off_t 64-bit, aligned); i386 has struct flock
 * (32-bit offsets) for F_GETLK..F_SETLKW and struct flock64 (64-bit
 * offsets, 4-aligned) for F_GETLK64..F_SETLKW64 and fcntl64's F_OFD_*.
 * strace: {l_type=F_WRLCK, l_whence=SEEK_SET, l_start=0, l_len=4} at
 * entry of the setters, with ", l_pid=N" at exit of the getters. */
static void print_flock(const struct arg_ctx *ctx, bool with_pid)
{
	unsigned char b[32];
	size_t size, start, len, pid;
	unsigned off_size;
	uint32_t cmd = (uint32_t)ctx_arg(ctx, FCNTL_ARG_CMD);
	if (ctx_word_size(ctx) == 8) {
		size = 32, start = 8, len = 16, pid = 24, off_size = 8;
	} else if ((cmd >= CMD_F_GETLK64 && cmd <= CMD_F_SETLKW64) ||
		   ((cmd == F_OFD_GETLK || cmd == F_OFD_SETLK ||
		     cmd == F_OFD_SETLKW) && ctx->call->sig &&
		    !strcmp(ctx->call->sig->name, "fcntl64"))) {
		size = 24, start = 4, len = 12, pid = 20, off_size = 8;
	} else {
		size = 16, start = 4, len = 8, pid = 12, off_size = 4;
	}
	if ((ctx->exiting && ctx->is_error) || !ctx_fetch(ctx, ctx->value, b, size)) {
		if (ctx->exiting && ctx->is_error)
			ctx_print_ptr(ctx, ctx->value);
		return;
	}
	sb_puts(ctx->sb, "{l_type=");
	ctx_print_enum(ctx, &xlat_lease_type, (uint16_t)field_u(b, 0, 2), NULL);
	sb_puts(ctx->sb, ", l_whence=");
	ctx_print_enum(ctx, &xlat_whence, (uint16_t)field_u(b, 2, 2), NULL);
	sb_printf(ctx->sb, ", l_start=%lld, l_len=%lld",
		  (long long)field_s(b, start, off_size),
		  (long long)field_s(b, len, off_size));
	if (with_pid)
		sb_printf(ctx->sb, ", l_pid=%d", (int)field_s(b, pid, 4));
	sb_putc(ctx->sb, '}');
}

static void print_flock_in(const struct arg_ctx *ctx) { print_flock(ctx, false); }
static void print_flock_out(const struct arg_ctx *ctx) { print_flock(ctx, true); }

/* struct f_owner_ex: {type=F_OWNER_TID, pid=0} */
static void print_owner_ex(const struct arg_ctx *ctx)
{
	unsigned char b[8];
	if (ctx->exiting && ctx->is_error) {
		ctx_print_ptr(ctx, ctx->value);
		return;
	}
	if (!ctx_fetch(ctx, ctx->value, b, sizeof b))
		return;
	sb_puts(ctx->sb, "{type=");
	ctx_print_enum(ctx, &xlat_f_owner_type, (uint32_t)field_u(b, 0, 4), NULL);
	sb_printf(ctx->sb, ", pid=%d}", (int)field_s(b, 4, 4));
}

void layout_fcntl_cmd(const struct syscall_call *call, unsigned index,
		      struct arg_layout layout[SYSCALL_MAX_ARGS])
{
	unsigned arg = index + 1;
	if (arg >= SYSCALL_MAX_ARGS)
		return;
	switch ((uint32_t)call->args[index]) {
	case F_GETFD: case F_GETFL: case F_GETOWN: case F_GETSIG:
	case F_GETLEASE: case F_GETPIPE_SZ: case CMD_F_GET_SEALS:
	case CMD_F_CREATED_QUERY: case CMD_F_CANCELLK:
		omit_from(layout, arg);
		return;
	case F_SETFD:
		layout[arg].print = print_fd_flags;
		return;
	case F_SETFL:
		layout[arg].print = print_fcntl_oflags;
		return;
	case F_DUPFD: case F_DUPFD_CLOEXEC: case F_SETOWN: case F_SETPIPE_SZ:
	case CMD_F_DUPFD_QUERY:
		layout[arg].print = print_arg_dec;
		return;
	case F_SETSIG:
		layout[arg].print = print_fcntl_signal;
		return;
	case F_SETLEASE:
		layout[arg].print = print_lease;
		return;
	case F_NOTIFY:
		layout[arg].print = print_dnotify;
		return;
	case CMD_F_ADD_SEALS:
		layout[arg].print = print_seals;
		return;
	case F_OFD_SETLK: case F_OFD_SETLKW:
		layout[arg].print = print_flock_in;
		return;
	case F_OFD_GETLK:
		layout[arg].print = print_flock_out;
		layout[arg].at_exit = true;
		return;
	case F_SETOWN_EX:
		layout[arg].print = print_owner_ex;
		return;
	case F_GETOWN_EX:
		layout[arg].print = print_owner_ex;
		layout[arg].at_exit = true;
		return;
	case CMD_F_GETOWNER_UIDS:
		layout[arg].print = print_arg_ptr;
		return;
	}
	/* the locks: F_GETLK..F_SETLKW and the 32-bit ABI's F_GETLK64..
	 * F_SETLKW64 (12..14), which a 32-bit build's F_GETLK.. may equal */
	uint32_t cmd = (uint32_t)call->args[index];
	if (cmd == F_GETLK || cmd == CMD_F_GETLK64) {
		layout[arg].print = print_flock_out;
		layout[arg].at_exit = true;
	} else if (cmd == F_SETLK || cmd == F_SETLKW ||
		   (cmd > CMD_F_GETLK64 && cmd <= CMD_F_SETLKW64)) {
		layout[arg].print = print_flock_in;
	} else {
		layout[arg].print = print_arg_hex;
	}
}

/* F_GETFD, F_GETFL, F_GETLEASE and F_GET_SEALS return flags, which strace
 * prints in hex with their names: "= 0x8002 (flags O_RDWR|O_LARGEFILE)". */
bool ret_fcntl_cmd(struct strbuf *sb, enum xlat_style style,
		   const struct syscall_call *call, unsigned index, int64_t rval)
{
	uint64_t v = (uint64_t)rval;
	switch ((uint32_t)call->args[index]) {
	case F_GETFD:
		if (!rval)
			return false;
		sb_printf(sb, "%#llx (flags ", (unsigned long long)v);
		print_flags(sb, style, &xlat_fd_flags, v);
		break;
	case F_GETFL:
		print_unknown(sb, v, NULL);
		sb_puts(sb, " (flags ");
		print_open_flags(sb, style, v);
		break;
	case F_GETLEASE: {
		const char *name = xlat_name(&xlat_lease_type, v);
		if (!name)
			return false;
		print_unknown(sb, v, NULL);
		sb_printf(sb, " (%s", name);
		break;
	}
	case CMD_F_GET_SEALS:
		if (!rval)
			return false;
		sb_printf(sb, "%#llx (seals ", (unsigned long long)v);
		print_flags(sb, style, &xlat_seal_flags, v);
		break;
	case F_GETSIG: {
		if (!rval)
			return false;
		sb_printf(sb, "%lld (", (long long)rval);
		print_signal_number(sb, v);
		break;
	}
	default:
		return false;
	}
	sb_putc(sb, ')');
	return true;
}

/* ---- ioctl(fd, cmd, arg) ---- */

/* struct termios2's commands, by number: the C library's headers define
 * them with a struct termios2 they do not declare. */
#define IOCTL_TCGETS2 _IOR('T', 0x2A, char[44])
#define IOCTL_TCSETS2 _IOW('T', 0x2B, char[44])
#define IOCTL_TCSETSW2 _IOW('T', 0x2C, char[44])
#define IOCTL_TCSETSF2 _IOW('T', 0x2D, char[44])

/* strace prints the command in hex with -X raw, the hex and the name (or
 * the _IOC() form) in a comment with -X verbose; a number two commands
 * share shows both ("SNDCTL_TMR_START or TCSETS"). */
void print_ioctl_cmd(const struct arg_ctx *ctx)
{
	uint32_t cmd = (uint32_t)ctx->value;
	enum xlat_style style = ctx_xlat_style(ctx);
	if (style != XLAT_STYLE_ABBREV)
		sb_printf(ctx->sb, "%#x", cmd);
	if (style == XLAT_STYLE_RAW)
		return;
	if (style == XLAT_STYLE_VERBOSE)
		sb_puts(ctx->sb, " /* ");
	const char *name = xlat_name(&xlat_ioctl_cmd, cmd);
	const char *alias = name ? xlat_name(&xlat_ioctl_cmd_alias, cmd) : NULL;
	if (alias)
		sb_printf(ctx->sb, "%s or ", alias);
	if (name) {
		sb_puts(ctx->sb, name);
	} else {
		sb_puts(ctx->sb, "_IOC(");
		print_flags(ctx->sb, XLAT_STYLE_ABBREV, &xlat_ioctl_dir,
			    _IOC_DIR(cmd));
		sb_printf(ctx->sb, ", %#x, %#x, %#x)", _IOC_TYPE(cmd),
			  _IOC_NR(cmd), _IOC_SIZE(cmd));
	}
	if (style == XLAT_STYLE_VERBOSE)
		sb_puts(ctx->sb, " */");
}

static void print_int_value(const struct arg_ctx *ctx)
{
	sb_printf(ctx->sb, "%d", (int)ctx->value);
}

void layout_ioctl_cmd(const struct syscall_call *call, unsigned index,
		      struct arg_layout layout[SYSCALL_MAX_ARGS])
{
	unsigned arg = index + 1;
	if (arg >= SYSCALL_MAX_ARGS)
		return;
	uint32_t cmd = (uint32_t)call->args[index];
	switch (cmd) {
	/* no argument */
	case FIOCLEX: case FIONCLEX: case TIOCNOTTY: case TIOCEXCL:
	case TIOCNXCL: case TIOCSBRK: case TIOCCBRK: case TIOCCONS:
	case TIOCVHANGUP:
		omit_from(layout, arg);
		return;
	/* an int read by the kernel */
	case FIONBIO: case FIOASYNC: case TIOCSPGRP: case TIOCSETD:
	case TIOCPKT: case TIOCSPTLCK: case FIOSETOWN: case SIOCSPGRP:
	case SIOCSIFENCAP:
		layout[arg].print = print_int_ref;
		return;
	/* an int written by the kernel */
	case FIONREAD: case TIOCOUTQ: case TIOCGPGRP: case TIOCGSID:
	case TIOCGPTN: case TIOCGETD: case TIOCGPKT: case TIOCGPTLCK:
	case TIOCGEXCL: case SIOCATMARK: case FIOGETOWN: case SIOCGPGRP:
	case SIOCGIFENCAP: case SIOCOUTQNSD:
		layout[arg].print = print_int_ref;
		layout[arg].at_exit = true;
		return;
	/* terminal structures (structs_term.c) */
	case TIOCSWINSZ:
		layout[arg].print = print_winsize;
		return;
	case TIOCGWINSZ:
		layout[arg].print = print_winsize;
		layout[arg].at_exit = true;
		return;
	case TIOCMBIS: case TIOCMBIC: case TIOCMSET:
		layout[arg].print = print_modem_flags_ref;
		return;
	case TIOCMGET:
		layout[arg].print = print_modem_flags_ref;
		layout[arg].at_exit = true;
		return;
	case TCSETS: case TCSETSW: case TCSETSF: case TIOCSLCKTRMIOS:
		layout[arg].print = print_termios;
		return;
	case TCGETS: case TIOCGLCKTRMIOS:
		layout[arg].print = print_termios;
		layout[arg].at_exit = true;
		return;
	case IOCTL_TCSETS2: case IOCTL_TCSETSW2: case IOCTL_TCSETSF2:
		layout[arg].print = print_termios2;
		return;
	case IOCTL_TCGETS2:
		layout[arg].print = print_termios2;
		layout[arg].at_exit = true;
		return;
	case TCSETA: case TCSETAW: case TCSETAF:
		layout[arg].print = print_termio;
		return;
	case TCGETA:
		layout[arg].print = print_termio;
		layout[arg].at_exit = true;
		return;
	/* an int by value */
	case TCSBRK: case TCSBRKP: case TCXONC: case TCFLSH: case TIOCSCTTY:
		layout[arg].print = print_int_value;
		return;
	}
	if (layout_sock_ioctl(cmd, &layout[arg]))
		return;
	/* a known command takes a pointer; an unknown one, who knows */
	if (xlat_name(&xlat_ioctl_cmd, cmd))
		layout[arg].print = print_arg_ptr;
}

/* ---- futex(uaddr, op, val, timeout or val2, uaddr2, val3) ---- */

#define FUTEX_ARG_OP 1
#define FUTEX_ARG_VAL 2
#define FUTEX_ARG_TIMEOUT 3
#define FUTEX_ARG_UADDR2 4
#define FUTEX_ARG_VAL3 5
#define FUTEX_CMD_BITS 0x7fu
#define FUTEX_LOCK_PI2_CMD 13

/* strace's names: the command, "_PRIVATE" for the private flag, and
 * "|FUTEX_CLOCK_REALTIME" for the waits that take it. Anything else is
 * unknown as a whole. */
static void print_futex_op_text(const struct arg_ctx *ctx)
{
	uint32_t op = (uint32_t)ctx->value;
	uint32_t cmd = op & FUTEX_CMD_BITS;
	const char *name = xlat_name(&xlat_futex_cmd, cmd);
	bool priv = op & FUTEX_PRIVATE_FLAG;
	bool rt = op & FUTEX_CLOCK_REALTIME;
	bool rt_ok = cmd == FUTEX_WAIT || cmd == FUTEX_WAIT_BITSET ||
		     cmd == FUTEX_WAIT_REQUEUE_PI;
	if (!name || (op & ~(FUTEX_CMD_BITS | FUTEX_PRIVATE_FLAG |
			     FUTEX_CLOCK_REALTIME)) || (rt && !rt_ok)) {
		print_unknown(ctx->sb, op, xlat_futex_cmd.unknown);
		return;
	}
	sb_puts(ctx->sb, name);
	if (priv)
		sb_puts(ctx->sb, cmd == FUTEX_FD ? "|FUTEX_PRIVATE_FLAG" : "_PRIVATE");
	if (rt)
		sb_puts(ctx->sb, "|FUTEX_CLOCK_REALTIME");
}

/* with -X, the whole value at once */
void print_futex_op(const struct arg_ctx *ctx)
{
	size_t mark = xlat_start(ctx->sb);
	print_futex_op_text(ctx);
	xlat_finish(ctx->sb, ctx_xlat_style(ctx), mark, (uint32_t)ctx->value);
}

static void print_futex_bitset(const struct arg_ctx *ctx)
{
	uint32_t v = (uint32_t)ctx->value;
	if (v == FUTEX_BITSET_MATCH_ANY)
		sb_puts(ctx->sb, "FUTEX_BITSET_MATCH_ANY");
	else
		print_unknown(ctx->sb, v, NULL);
}

/* FUTEX_WAKE_OP's val3: "FUTEX_OP_SET<<28|0<<12|FUTEX_OP_CMP_GT<<24|0x1". */
static void print_futex_wake_op(const struct arg_ctx *ctx)
{
	struct strbuf *sb = ctx->sb;
	uint32_t v = (uint32_t)ctx->value;
	uint32_t op = v >> 28;
	if (op & FUTEX_OP_OPARG_SHIFT)
		sb_puts(sb, "FUTEX_OP_OPARG_SHIFT<<28|");
	ctx_print_enum(ctx, &xlat_futex_wake_op, op & 7, "FUTEX_OP_???");
	sb_printf(sb, "<<28|%#x<<12|", (v >> 12) & 0xfff);
	ctx_print_enum(ctx, &xlat_futex_wake_cmp, (v >> 24) & 0xf, "FUTEX_OP_CMP_???");
	sb_printf(sb, "<<24|%#x", v & 0xfff);
}

void layout_futex_op(const struct syscall_call *call, unsigned index,
		     struct arg_layout layout[SYSCALL_MAX_ARGS])
{
	if (index != FUTEX_ARG_OP || call->sig->nargs < 6)
		return;
	uint32_t op = (uint32_t)call->args[index];
	struct arg_layout *l = layout;
	switch (op & FUTEX_CMD_BITS) {
	case FUTEX_WAIT:
		omit_from(l, FUTEX_ARG_UADDR2);
		return;
	case FUTEX_WAKE:
	case FUTEX_FD:
		omit_from(l, FUTEX_ARG_TIMEOUT);
		return;
	case FUTEX_REQUEUE:
		l[FUTEX_ARG_TIMEOUT].print = print_arg_udec;
		l[FUTEX_ARG_VAL3].omit = true;
		return;
	case FUTEX_CMP_REQUEUE:
	case FUTEX_CMP_REQUEUE_PI:
		l[FUTEX_ARG_TIMEOUT].print = print_arg_udec;
		l[FUTEX_ARG_VAL3].print = print_arg_udec;
		return;
	case FUTEX_WAKE_OP:
		l[FUTEX_ARG_TIMEOUT].print = print_arg_udec;
		l[FUTEX_ARG_VAL3].print = print_futex_wake_op;
		return;
	case FUTEX_LOCK_PI:
	case FUTEX_LOCK_PI2_CMD:
		l[FUTEX_ARG_VAL].omit = true;
		omit_from(l, FUTEX_ARG_UADDR2);
		return;
	case FUTEX_UNLOCK_PI:
	case FUTEX_TRYLOCK_PI:
		omit_from(l, FUTEX_ARG_VAL);
		return;
	case FUTEX_WAIT_BITSET:
		l[FUTEX_ARG_UADDR2].omit = true;
		l[FUTEX_ARG_VAL3].print = print_futex_bitset;
		return;
	case FUTEX_WAKE_BITSET:
		l[FUTEX_ARG_TIMEOUT].omit = true;
		l[FUTEX_ARG_UADDR2].omit = true;
		l[FUTEX_ARG_VAL3].print = print_futex_bitset;
		return;
	case FUTEX_WAIT_REQUEUE_PI:
		l[FUTEX_ARG_VAL3].omit = true;
		return;
	default:
		/* strace: the timeout and uaddr2 as addresses, val3 in hex */
		l[FUTEX_ARG_TIMEOUT].print = print_arg_ptr;
		l[FUTEX_ARG_VAL3].print = print_arg_hex;
	}
}
