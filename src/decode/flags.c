/* Flag and enum arguments of files, memory, processes, signals and time:
 * each looks its value up in a table of src/decode/xlat/ and prints it as
 * strace does. Values of `int` arguments are cut to 32 bits first, as the
 * kernel reads them. */
#include "flags.h"

#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "ptrc/names.h"
#include "structs.h"
#include "xlat.h"
#include "xlat/kernel_values.h"
#include "xlat_tables.h"

#define MMAP_TYPE_MASK 0xfu
#define MAP_HUGE_SHIFT_BITS 26
#define MAP_HUGE_MASK_BITS 0x3fu
#define CSIGNAL_MASK 0xffu
#define STATX_SYNC_MASK 0x6000u

static bool call_is(const struct syscall_call *call, const char *name)
{
	return call->sig && !strcmp(call->sig->name, name);
}

/* ---- plain printers, for arguments a layout reinterprets ---- */

void print_arg_dec(const struct arg_ctx *ctx)
{
	sb_printf(ctx->sb, "%d", (int)ctx->value);
}

void print_arg_udec(const struct arg_ctx *ctx)
{
	sb_printf(ctx->sb, "%llu", (unsigned long long)ctx->value);
}

void print_arg_hex(const struct arg_ctx *ctx)
{
	print_unknown(ctx->sb, ctx->value, NULL);
}

void print_arg_ptr(const struct arg_ctx *ctx)
{
	ctx_print_ptr(ctx, ctx->value);
}

/* A uid_t or gid_t: unsigned, except the "no change" value -1 (0xffff for
 * the 16-bit ids of i386's chown, setuid...). */
void print_uid(const struct arg_ctx *ctx)
{
	uint32_t all = call_arg_width(ctx->call, ctx->index) == 16 ? 0xffff
								   : UINT32_MAX;
	if ((uint32_t)ctx->value == all)
		sb_puts(ctx->sb, "-1");
	else
		sb_printf(ctx->sb, "%u", (unsigned)ctx->value);
}

/* ---- files ---- */

void print_open_flags(struct strbuf *sb, enum xlat_style style, uint64_t flags)
{
	flags = (uint32_t)flags;
	size_t mark = xlat_start(sb);
	uint64_t all = flags;
	print_enum(sb, XLAT_STYLE_ABBREV, &xlat_open_access, flags & O_ACCMODE, NULL);
	flags &= ~(uint64_t)O_ACCMODE;
	if (flags) {
		sb_putc(sb, '|');
		print_flags(sb, XLAT_STYLE_ABBREV, &xlat_open_flags, flags);
	}
	xlat_finish(sb, style, mark, all);
}

void decode_open_flags(struct strbuf *sb, uint64_t flags)
{
	print_open_flags(sb, XLAT_STYLE_ABBREV, flags);
}

void print_oflags(const struct arg_ctx *ctx)
{
	print_open_flags(ctx->sb, ctx_xlat_style(ctx), ctx->value);
}

/* open, openat and mq_open take a mode (and mq_open an attr) only when
 * they create: strace leaves the rest out otherwise. */
void layout_oflags(const struct syscall_call *call, unsigned index,
		   struct arg_layout layout[SYSCALL_MAX_ARGS])
{
	if (!call_is(call, "open") && !call_is(call, "openat") &&
	    !call_is(call, "mq_open"))
		return;
	uint32_t flags = (uint32_t)call->args[index];
	if (flags & (O_CREAT | KERNEL___O_TMPFILE))
		return;
	for (unsigned i = index + 1; i < SYSCALL_MAX_ARGS; i++)
		layout[i].omit = true;
}

static void print_octal(struct strbuf *sb, uint64_t mode)
{
	sb_printf(sb, "%#03llo", (unsigned long long)mode);
}

/* mknod's mode carries a file type: "S_IFIFO|0644". */
static bool mode_has_type(const struct syscall_call *call)
{
	return call_is(call, "mknod") || call_is(call, "mknodat");
}

void print_mode(const struct arg_ctx *ctx)
{
	uint64_t mode = (uint32_t)ctx->value;
	uint64_t type = mode & S_IFMT;
	if (!mode_has_type(ctx->call) || !type) {
		print_octal(ctx->sb, mode);
		return;
	}
	print_mode_value(ctx->sb, ctx_xlat_style(ctx), (uint32_t)mode);
}

static void print_dev(const struct arg_ctx *ctx)
{
	dev_t dev = (dev_t)ctx->value;
	sb_printf(ctx->sb, "makedev(%#x, %#x)", major(dev), minor(dev));
}

/* mknod's dev shows only for a device. */
void layout_mode(const struct syscall_call *call, unsigned index,
		 struct arg_layout layout[SYSCALL_MAX_ARGS])
{
	if (!mode_has_type(call) || index + 1 >= SYSCALL_MAX_ARGS)
		return;
	uint32_t type = (uint32_t)call->args[index] & S_IFMT;
	if (type == S_IFCHR || type == S_IFBLK)
		layout[index + 1].print = print_dev;
	else
		layout[index + 1].omit = true;
}

void print_atflags(const struct arg_ctx *ctx)
{
	uint64_t flags = (uint32_t)ctx->value;
	struct strbuf *sb = ctx->sb;
	enum xlat_style style = ctx_xlat_style(ctx);
	if (call_is(ctx->call, "faccessat2")) {
		print_flags(sb, style, &xlat_faccessat_flags, flags);
		return;
	}
	if (call_is(ctx->call, "statx")) {
		/* strace prints the sync type as flags without a default:
		 * under -X raw, nothing at all for 0 ("|0x1800"). */
		if (style != XLAT_STYLE_RAW || (flags & STATX_SYNC_MASK))
			print_enum(sb, style, &xlat_statx_sync,
				   flags & STATX_SYNC_MASK, NULL);
		flags &= ~(uint64_t)STATX_SYNC_MASK;
		if (flags) {
			sb_putc(sb, '|');
			print_flags(sb, style, &xlat_at_flags, flags);
		}
		return;
	}
	print_flags(sb, style, &xlat_at_flags, flags);
}

static void print_statx_mask(const struct arg_ctx *ctx)
{
	ctx_print_flags(ctx, &xlat_statx_mask, (uint32_t)ctx->value);
}

/* statx(dirfd, path, flags, mask, buf): the mask is STATX_* flags. */
void layout_atflags(const struct syscall_call *call, unsigned index,
		    struct arg_layout layout[SYSCALL_MAX_ARGS])
{
	if (call_is(call, "statx") && index + 1 < SYSCALL_MAX_ARGS)
		layout[index + 1].print = print_statx_mask;
}

void print_access_mode(const struct arg_ctx *ctx)
{
	ctx_print_flags(ctx, &xlat_access_modes, (uint32_t)ctx->value);
}

void print_whence(const struct arg_ctx *ctx)
{
	ctx_print_enum(ctx, &xlat_whence, (uint32_t)ctx->value, NULL);
}

void print_flock_op(const struct arg_ctx *ctx)
{
	ctx_print_flags(ctx, &xlat_flock_op, (uint32_t)ctx->value);
}

void print_dup3_flags(const struct arg_ctx *ctx)
{
	ctx_print_flags(ctx, &xlat_dup3_flags, (uint32_t)ctx->value);
}

void print_pipe_flags(const struct arg_ctx *ctx)
{
	ctx_print_flags(ctx, &xlat_pipe_flags, (uint32_t)ctx->value);
}

void print_epoll_op(const struct arg_ctx *ctx)
{
	ctx_print_enum(ctx, &xlat_epoll_op, (uint32_t)ctx->value, NULL);
}

void print_epoll_flags(const struct arg_ctx *ctx)
{
	ctx_print_flags(ctx, &xlat_epoll_flags, (uint32_t)ctx->value);
}

void print_eventfd_flags(const struct arg_ctx *ctx)
{
	ctx_print_flags(ctx, &xlat_eventfd_flags, (uint32_t)ctx->value);
}

void print_timerfd_flags(const struct arg_ctx *ctx)
{
	ctx_print_flags(ctx, &xlat_timerfd_flags, (uint32_t)ctx->value);
}

/* ---- memory ---- */

void print_mmap_prot(const struct arg_ctx *ctx)
{
	ctx_print_flags(ctx, &xlat_mmap_prot, ctx->value);
}

/* The mapping type, the flags, then the huge page size:
 * "MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB|21<<MAP_HUGE_SHIFT". */
void print_mmap_flags(const struct arg_ctx *ctx)
{
	struct strbuf *sb = ctx->sb;
	uint64_t flags = ctx->value;
	size_t mark = xlat_start(sb);
	uint64_t huge = (flags >> MAP_HUGE_SHIFT_BITS) & MAP_HUGE_MASK_BITS;
	flags &= ~((uint64_t)MAP_HUGE_MASK_BITS << MAP_HUGE_SHIFT_BITS);
	print_enum(sb, XLAT_STYLE_ABBREV, &xlat_mmap_type, flags & MMAP_TYPE_MASK, NULL);
	uint64_t rest = print_flags_known(sb, &xlat_mmap_flags,
					  flags & ~(uint64_t)MMAP_TYPE_MASK, true);
	if (huge)
		sb_printf(sb, "|%llu<<MAP_HUGE_SHIFT", (unsigned long long)huge);
	if (rest)
		sb_printf(sb, "|%#llx", (unsigned long long)rest);
	xlat_finish(sb, ctx_xlat_style(ctx), mark, ctx->value);
}

/* strace prints mmap's offset in hex, and mmap2's (counted in pages) in
 * bytes. */
#define MMAP_ARG_FLAGS 3
#define MMAP_ARG_OFFSET 5
#define MMAP2_PAGE_SHIFT 12

static void print_mmap_offset(const struct arg_ctx *ctx)
{
	uint64_t off = ctx->value;
	if (call_is(ctx->call, "mmap2"))
		off <<= MMAP2_PAGE_SHIFT;
	print_unknown(ctx->sb, off, NULL);
}

void layout_mmap_flags(const struct syscall_call *call, unsigned index,
		       struct arg_layout layout[SYSCALL_MAX_ARGS])
{
	if (index == MMAP_ARG_FLAGS && call->sig->nargs > MMAP_ARG_OFFSET &&
	    (call_is(call, "mmap") || call_is(call, "mmap2")))
		layout[MMAP_ARG_OFFSET].print = print_mmap_offset;
}

void print_madvise_advice(const struct arg_ctx *ctx)
{
	ctx_print_enum(ctx, &xlat_madvise_advice, (uint32_t)ctx->value, NULL);
}

/* mremap's flags are an unsigned long; its fifth argument, the new address,
 * is read (and shown, as strace does) only with MREMAP_MAYMOVE|MREMAP_FIXED. */
void print_mremap_flags(const struct arg_ctx *ctx)
{
	ctx_print_flags(ctx, &xlat_mremap_flags, ctx->value);
}

void layout_mremap_flags(const struct syscall_call *call, unsigned index,
			 struct arg_layout layout[SYSCALL_MAX_ARGS])
{
	const uint64_t both = MREMAP_MAYMOVE | MREMAP_FIXED;
	if (index + 1 < SYSCALL_MAX_ARGS && (call_arg(call, index) & both) != both)
		layout[index + 1].omit = true;
}

/* ---- processes and signals ---- */

void print_signal_number(struct strbuf *sb, uint64_t sig)
{
	char buf[16];
	sb_puts(sb, signal_name_buf((int)sig, buf));
}

void print_signal_styled(const struct arg_ctx *ctx, uint64_t sig)
{
	/* strace's printsignal: the number under -X raw, both under -X
	 * verbose (a name it knows only). */
	enum xlat_style style = ctx_xlat_style(ctx);
	const char *name = sig < 1024 ? signal_name((int)sig) : NULL;
	if (style == XLAT_STYLE_RAW || (style == XLAT_STYLE_VERBOSE && name)) {
		sb_printf(ctx->sb, "%lld", (long long)(int)sig);
		if (style == XLAT_STYLE_VERBOSE)
			sb_printf(ctx->sb, " /* %s */", name);
		return;
	}
	print_signal_number(ctx->sb, sig);
}

void print_signum(const struct arg_ctx *ctx)
{
	print_signal_styled(ctx, ctx->value);
}

void print_sigprocmask_how(const struct arg_ctx *ctx)
{
	ctx_print_enum(ctx, &xlat_sigprocmask_how, (uint32_t)ctx->value, NULL);
}

void print_wait_options(const struct arg_ctx *ctx)
{
	ctx_print_flags(ctx, &xlat_wait_options, (uint32_t)ctx->value);
}

void print_rlimit_resource(const struct arg_ctx *ctx)
{
	ctx_print_enum(ctx, &xlat_rlimit_resource, (uint32_t)ctx->value, NULL);
}

/* Clone flags; clone's low byte is the exit signal, printed last:
 * "CLONE_VM|CLONE_FS|SIGCHLD". unshare and setns take flags alone. */
static void print_clone_value(struct strbuf *sb, enum xlat_style style,
			      uint64_t flags, bool signal)
{
	uint64_t sig = signal ? flags & CSIGNAL_MASK : 0;
	uint64_t all = flags;
	size_t mark = xlat_start(sb);
	flags &= ~sig;
	if (flags || !sig)
		print_flags(sb, XLAT_STYLE_ABBREV, &xlat_clone_flags, flags);
	if (sig) {
		if (flags)
			sb_putc(sb, '|');
		print_signal_number(sb, sig);
	}
	xlat_finish(sb, style, mark, all);
}

void print_clone_flags(const struct arg_ctx *ctx)
{
	if (call_is(ctx->call, "unshare"))
		ctx_print_flags(ctx, &xlat_unshare_flags, ctx->value);  /* a long */
	else if (call_is(ctx->call, "setns"))
		ctx_print_flags(ctx, &xlat_setns_types, (uint32_t)ctx->value);
	else
		print_clone_value(ctx->sb, ctx_xlat_style(ctx), ctx->value,
				  call_is(ctx->call, "clone"));
}

/* clone, as strace prints it: by name, stack first, then only the
 * pointers the flags make the kernel use:
 * "clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|...|SIGCHLD,
 * child_tidptr=0x7f...)". The registers are (flags, stack, parent_tid,
 * child_tid, tls) on x86_64 and (flags, stack, parent_tid, tls, child_tid)
 * on i386 and aarch64; strace prints parent_tid, tls, child_tidptr. */
#define CLONE_ARG_FLAGS 0
#define CLONE_ARG_STACK 1
#define CLONE_ARG_PTID 2

static unsigned clone_tls_arg(const struct syscall_call *call)
{
	return call->arch == PTRC_ARCH_X86_64 ? 4 : 3;
}

static unsigned clone_ctid_arg(const struct syscall_call *call)
{
	return call->arch == PTRC_ARCH_X86_64 ? 3 : 4;
}

static void print_clone_head(const struct arg_ctx *ctx)
{
	sb_puts(ctx->sb, "child_stack=");
	ctx_print_ptr(ctx, ctx_arg(ctx, CLONE_ARG_STACK));
	sb_puts(ctx->sb, ", flags=");
	print_clone_value(ctx->sb, ctx_xlat_style(ctx), ctx->value, true);
}

static void print_clone_ptid(const struct arg_ctx *ctx)
{
	sb_puts(ctx->sb, "parent_tid=");
	uint32_t tid;
	if (!ctx->is_error && ctx_read(ctx, ctx->value, &tid, sizeof tid))
		sb_printf(ctx->sb, "[%u]", tid);
	else
		ctx_print_ptr(ctx, ctx->value);
}

/* Slots 3 and 4 print tls then child_tidptr whatever their register order
 * (they read the register they need, not their own). */
static void print_clone_tls_first(const struct arg_ctx *ctx)
{
	sb_puts(ctx->sb, "tls=");
	ctx_print_ptr(ctx, ctx_arg(ctx, clone_tls_arg(ctx->call)));
}

static void print_clone_ctid_last(const struct arg_ctx *ctx)
{
	sb_puts(ctx->sb, "child_tidptr=");
	ctx_print_ptr(ctx, ctx_arg(ctx, clone_ctid_arg(ctx->call)));
}

void layout_clone_flags(const struct syscall_call *call, unsigned index,
			struct arg_layout layout[SYSCALL_MAX_ARGS])
{
	if (!call_is(call, "clone") || index != CLONE_ARG_FLAGS ||
	    call->sig->nargs < 5)
		return;
	uint64_t flags = call->args[CLONE_ARG_FLAGS];
	bool ptid = flags & CLONE_PARENT_SETTID;
	bool tls = flags & CLONE_SETTLS;
	bool ctid = flags & (CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID);

	layout[CLONE_ARG_FLAGS].print = print_clone_head;
	layout[CLONE_ARG_STACK].omit = true;
	if (ptid) {
		layout[CLONE_ARG_PTID].print = print_clone_ptid;
		layout[CLONE_ARG_PTID].at_exit = true;
	} else {
		layout[CLONE_ARG_PTID].omit = true;
	}
	/* slots 3 and 4 print tls then child_tidptr, each when used */
	if (tls && ctid) {
		layout[3].print = print_clone_tls_first;
		layout[4].print = print_clone_ctid_last;
	} else if (tls) {
		layout[3].print = print_clone_tls_first;
		layout[4].omit = true;
	} else if (ctid) {
		layout[3].print = print_clone_ctid_last;
		layout[4].omit = true;
	} else {
		layout[3].omit = true;
		layout[4].omit = true;
	}
}

/* ---- time ---- */

void print_clockid(const struct arg_ctx *ctx)
{
	ctx_print_enum(ctx, &xlat_clockid, (uint32_t)ctx->value, NULL);
}

void print_itimer_which(const struct arg_ctx *ctx)
{
	ctx_print_enum(ctx, &xlat_itimer_which, (uint32_t)ctx->value, NULL);
}

/* ---- arch_prctl's code, getrandom's flags and fadvise64's advice ---- */

void print_arch_prctl_code(const struct arg_ctx *ctx)
{
	ctx_print_enum(ctx, &xlat_arch_prctl_code, (uint32_t)ctx->value, NULL);
}

void print_getrandom_flags(const struct arg_ctx *ctx)
{
	ctx_print_flags(ctx, &xlat_getrandom_flags, (uint32_t)ctx->value);
}

/* preadv2/pwritev2: strace prints the whole register */
void print_rwf_flags(const struct arg_ctx *ctx)
{
	ctx_print_flags(ctx, &xlat_rwf_flags, ctx->value);
}

void print_fadvise_advice(const struct arg_ctx *ctx)
{
	ctx_print_enum(ctx, &xlat_fadvise_advice, (uint32_t)ctx->value, NULL);
}

/* ---- getrusage's who, waitid's idtype ---- */

/* An int, RUSAGE_CHILDREN being -1; strace prints an unknown one in
 * decimal: "5 / * RUSAGE_??? * /". */
void print_rusage_who(const struct arg_ctx *ctx)
{
	int who = (int)(uint32_t)ctx->value;
	const char *name = xlat_name(&xlat_rusage_who, (uint64_t)(int64_t)who);
	if (name)
		sb_puts(ctx->sb, name);
	else
		sb_printf(ctx->sb, "%d /* RUSAGE_??? */", who);
}

void print_idtype(const struct arg_ctx *ctx)
{
	ctx_print_enum(ctx, &xlat_idtype, (uint32_t)ctx->value, NULL);
}

/* ---- msync's flags, getpriority's which, clock_nanosleep's flags ---- */

void print_msync_flags(const struct arg_ctx *ctx)
{
	ctx_print_flags(ctx, &xlat_msync_flags, (uint32_t)ctx->value);
}

void print_prio_which(const struct arg_ctx *ctx)
{
	ctx_print_enum(ctx, &xlat_prio_which, (uint32_t)ctx->value, NULL);
}

void print_timer_flags(const struct arg_ctx *ctx)
{
	ctx_print_flags(ctx, &xlat_timer_flags, (uint32_t)ctx->value);
}
