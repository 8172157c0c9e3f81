/* Process structures: wait status, rlimit, rusage, utsname, sysinfo, tms,
 * execve's argv and envp, and the small results written through a
 * pointer: pipe/socketpair descriptors, an int, _llseek's offset.
 *
 * Layouts: longs and pointers follow the word size (rusage is two
 * timevals and 14 longs; tms four clock_t; sysinfo as in
 * include/uapi/linux/sysinfo.h); utsname six 65-byte strings; rlimit two
 * longs, rlimit64 two 64-bit values everywhere. */
#include "structs.h"

#include <string.h>

#include "ptrc/mem.h"
#include "ptrc/names.h"
#include "flags.h"
#include "xlat.h"
#include "xlat_tables.h"

/* ---- wait status ---- */

static void print_wait_status(struct strbuf *sb, uint32_t s)
{
	char buf[16];
	uint32_t rest = 0;
	sb_puts(sb, "[{");
	if ((s & 0x7f) == 0) {                        /* exited */
		sb_printf(sb, "WIFEXITED(s) && WEXITSTATUS(s) == %u", (s >> 8) & 0xff);
		rest = s & ~0xffffu;
	} else if ((s & 0xff) == 0x7f) {              /* stopped */
		sb_printf(sb, "WIFSTOPPED(s) && WSTOPSIG(s) == %s",
			  signal_name_buf((int)((s >> 8) & 0xff), buf));
		rest = s & ~0xffffu;
	} else if (s == 0xffff) {
		sb_puts(sb, "WIFCONTINUED(s)");
	} else {                                      /* killed */
		sb_printf(sb, "WIFSIGNALED(s) && WTERMSIG(s) == %s",
			  signal_name_buf((int)(s & 0x7f), buf));
		if (s & 0x80)
			sb_puts(sb, " && WCOREDUMP(s)");
		rest = s & ~0xffffu;
	}
	sb_putc(sb, '}');
	if (rest) {
		const char *event = xlat_name(&xlat_ptrace_event, rest >> 16);
		if (event)
			sb_printf(sb, " | %s << 16", event);
		else
			sb_printf(sb, " | %#x", rest);
	}
	sb_putc(sb, ']');
}

/* wait4, waitpid: filled only when a child was reported (rval > 0). */
void print_wstatus_out(const struct arg_ctx *ctx)
{
	if (ctx->is_error || ctx->rval == 0 || !ctx->value) {
		ctx_print_ptr(ctx, ctx->value);
		return;
	}
	uint32_t s;
	if (ctx_fetch(ctx, ctx->value, &s, sizeof s))
		print_wait_status(ctx->sb, s);
}

/* ---- rlimit ---- */

/* strace's print_rlim*_t: RLIM*_INFINITY and "8192*1024" are names the
 * -X style reaches (the decimal with -X raw, both with -X verbose). */
static void print_rlim(struct strbuf *sb, enum xlat_style style, uint64_t v,
		       uint64_t infinity, const char *infinity_name)
{
	bool kib = v > 1024 && v % 1024 == 0;
	if ((v != infinity && !kib) || style != XLAT_STYLE_ABBREV)
		sb_printf(sb, "%llu", (unsigned long long)v);
	if ((v != infinity && !kib) || style == XLAT_STYLE_RAW)
		return;
	if (style == XLAT_STYLE_VERBOSE)
		sb_puts(sb, " /* ");
	if (v == infinity)
		sb_puts(sb, infinity_name);
	else
		sb_printf(sb, "%llu*1024", (unsigned long long)(v / 1024));
	if (style == XLAT_STYLE_VERBOSE)
		sb_puts(sb, " */");
}

static void print_rlimit_at(const struct arg_ctx *ctx, uint64_t addr, bool wide)
{
	unsigned w = wide ? 8 : ctx_word_size(ctx);
	unsigned char b[16];
	if (!ctx_fetch(ctx, addr, b, 2 * (size_t)w))
		return;
	uint64_t infinity = w == 4 ? 0xffffffffu : UINT64_MAX;
	const char *name = w == 4 ? "RLIM_INFINITY" : "RLIM64_INFINITY";
	sb_puts(ctx->sb, "{rlim_cur=");
	print_rlim(ctx->sb, ctx_xlat_style(ctx), field_u(b, 0, w), infinity,
		   name);
	sb_puts(ctx->sb, ", rlim_max=");
	print_rlim(ctx->sb, ctx_xlat_style(ctx), field_u(b, w, w), infinity,
		   name);
	sb_putc(ctx->sb, '}');
}

void print_rlimit_in(const struct arg_ctx *ctx)
{
	print_rlimit_at(ctx, ctx->value, false);
}

void print_rlimit_out(const struct arg_ctx *ctx)
{
	if (ctx_exit_ok(ctx))
		print_rlimit_at(ctx, ctx->value, false);
}

void print_rlimit64_in(const struct arg_ctx *ctx)
{
	print_rlimit_at(ctx, ctx->value, true);
}

void print_rlimit64_out(const struct arg_ctx *ctx)
{
	if (ctx_exit_ok(ctx))
		print_rlimit_at(ctx, ctx->value, true);
}

/* ---- rusage ---- */

static const char *const rusage_longs[] = {
	"ru_maxrss", "ru_ixrss", "ru_idrss", "ru_isrss", "ru_minflt",
	"ru_majflt", "ru_nswap", "ru_inblock", "ru_oublock", "ru_msgsnd",
	"ru_msgrcv", "ru_nsignals", "ru_nvcsw", "ru_nivcsw",
};

void print_rusage_out(const struct arg_ctx *ctx)
{
	if (!ctx_exit_ok(ctx))
		return;
	unsigned w = ctx_word_size(ctx);
	unsigned char b[18 * 8];
	if (!ctx_fetch(ctx, ctx->value, b, 18 * (size_t)w))
		return;
	struct strbuf *sb = ctx->sb;
	sb_puts(sb, "{ru_utime=");
	ctx_print_timeval_buf(ctx, b);
	sb_puts(sb, ", ru_stime=");
	ctx_print_timeval_buf(ctx, b + 2 * w);
	if (!ctx_verbose(ctx)) {
		sb_puts(sb, ", ...}");
		return;
	}
	for (unsigned i = 0; i < ARRAY_COUNT(rusage_longs); i++)
		sb_printf(sb, ", %s=%lld", rusage_longs[i],
			  (long long)field_s(b, (4 + i) * (size_t)w, w));
	sb_putc(sb, '}');
}

/* ---- utsname ---- */

#define UTS_LEN 65

void print_utsname_out(const struct arg_ctx *ctx)
{
	if (!ctx_exit_ok(ctx))
		return;
	static const char *const fields[] = { "sysname", "nodename", "release",
		"version", "machine", "domainname" };
	char b[6 * UTS_LEN];
	if (!ctx_fetch(ctx, ctx->value, b, sizeof b))
		return;
	unsigned n = ctx_verbose(ctx) ? 6 : 2;
	sb_putc(ctx->sb, '{');
	for (unsigned i = 0; i < n; i++) {
		sb_printf(ctx->sb, i ? ", %s=" : "%s=", fields[i]);
		ctx_print_fixed_string(ctx, b + i * UTS_LEN, UTS_LEN);
	}
	sb_puts(ctx->sb, n < 6 ? ", ...}" : "}");
}

/* ---- sysinfo ---- */

void print_sysinfo_out(const struct arg_ctx *ctx)
{
	if (!ctx_exit_ok(ctx))
		return;
	unsigned w = ctx_word_size(ctx);
	size_t procs_off = 10 * (size_t)w;
	size_t high_off = (procs_off + 4 + w - 1) & ~(size_t)(w - 1);
	size_t unit_off = high_off + 2 * (size_t)w;
	unsigned char b[112];
	if (!ctx_fetch(ctx, ctx->value, b, unit_off + 4))
		return;
	static const char *const rams[] = { "totalram", "freeram", "sharedram",
		"bufferram", "totalswap", "freeswap" };
	struct strbuf *sb = ctx->sb;
	sb_printf(sb, "{uptime=%lld, loads=[%llu, %llu, %llu]",
		  (long long)field_s(b, 0, w), (unsigned long long)field_u(b, w, w),
		  (unsigned long long)field_u(b, 2 * (size_t)w, w),
		  (unsigned long long)field_u(b, 3 * (size_t)w, w));
	for (unsigned i = 0; i < 6; i++)
		sb_printf(sb, ", %s=%llu", rams[i],
			  (unsigned long long)field_u(b, (4 + i) * (size_t)w, w));
	sb_printf(sb, ", procs=%u, totalhigh=%llu, freehigh=%llu, mem_unit=%u}",
		  (unsigned)field_u(b, procs_off, 2),
		  (unsigned long long)field_u(b, high_off, w),
		  (unsigned long long)field_u(b, high_off + w, w),
		  (unsigned)field_u(b, unit_off, 4));
}

/* ---- tms ---- */

void print_tms_out(const struct arg_ctx *ctx)
{
	if (!ctx_exit_ok(ctx))
		return;
	unsigned w = ctx_word_size(ctx);
	unsigned char b[32];
	if (!ctx_fetch(ctx, ctx->value, b, 4 * (size_t)w))
		return;
	static const char *const names[] = { "tms_utime", "tms_stime",
					     "tms_cutime", "tms_cstime" };
	for (unsigned i = 0; i < 4; i++) {
		sb_printf(ctx->sb, "%s%s=", i ? ", " : "{", names[i]);
		print_clock_t(ctx->sb, (uint64_t)field_s(b, i * (size_t)w, w));
	}
	sb_putc(ctx->sb, '}');
}

/* ---- execve's argv and envp ---- */

/* Pointers of a NULL-terminated array are read in chunks of this many. */
#define PTR_CHUNK 64
/* envp is counted up to this many entries. */
#define ENVP_COUNT_MAX 100000

static void print_cstring_at(const struct arg_ctx *ctx, uint64_t ptr,
			     void *user)
{
	(void)user;
	ctx_print_cstring(ctx, ptr, ctx->d->config->string_limit);
}

/* The NULL-terminated string array at ADDR: ["a", "b", ...]. */
static void print_string_array(const struct arg_ctx *ctx, uint64_t addr)
{
	ctx_print_ptr_array(ctx, addr, ctx_array_limit(ctx), print_cstring_at, NULL);
}

void print_argv(const struct arg_ctx *ctx)
{
	print_string_array(ctx, ctx->value);
}

/* "0x7ffd... /- N vars -/" (C comment marks), as strace abbreviates the
 * environment; all of it with -v. */
void print_envp(const struct arg_ctx *ctx)
{
	if (ctx_verbose(ctx) || !ctx->value) {
		print_string_array(ctx, ctx->value);
		return;
	}
	unsigned w = ctx_word_size(ctx);
	unsigned char chunk[PTR_CHUNK * 8];
	uint64_t count = 0;
	uint64_t at = ctx->value;
	bool done = false, failed = false;
	while (!done && count < ENVP_COUNT_MAX) {
		/* Read a chunk, or what is left of this page of it, so the end
		 * of a mapping does not hide the terminating NULL. */
		size_t want = PTR_CHUNK * (size_t)w;
		uint64_t to_page_end = 4096 - (at & 4095);
		if (want > to_page_end)
			want = (size_t)to_page_end;
		if (want < w)
			want = w;
		if (!ctx_read(ctx, at, chunk, want)) {
			failed = true;
			break;
		}
		for (size_t off = 0; off + w <= want; off += w) {
			if (!field_u(chunk, off, w)) {
				done = true;
				break;
			}
			count++;
		}
		at += want;
	}
	ctx_print_ptr(ctx, ctx->value);
	if (failed && count == 0)
		return;
	sb_printf(ctx->sb, " /* %llu var%s%s */", (unsigned long long)count,
		  count == 1 ? "" : "s", done ? "" : "?");
}

/* ---- results written through a pointer ---- */

/* pipe, pipe2, socketpair: [3, 4], with -y what they refer to */
void print_fds_out(const struct arg_ctx *ctx)
{
	if (!ctx_exit_ok(ctx))
		return;
	int32_t fds[2];
	if (!ctx_fetch(ctx, ctx->value, fds, sizeof fds))
		return;
	unsigned level = ctx->d->config->decode_fds;
	sb_putc(ctx->sb, '[');
	decode_fd(ctx->sb, ctx->call->tid, fds[0], level);
	sb_puts(ctx->sb, ", ");
	decode_fd(ctx->sb, ctx->call->tid, fds[1], level);
	sb_putc(ctx->sb, ']');
}

void print_pidfd_target_fd(const struct arg_ctx *ctx)
{
	unsigned aux = ctx->call->sig->aux[ctx->index];
	int pidfd = aux < ctx->call->sig->nargs ? (int)ctx_arg(ctx, aux) : -1;
	decode_fd_of_pidfd(ctx->sb, ctx->call->tid, pidfd, (int)ctx->value,
			   ctx->d->config->decode_fds);
}

void print_int_out(const struct arg_ctx *ctx)
{
	if (!ctx_exit_ok(ctx))
		return;
	int32_t v;
	if (ctx_fetch(ctx, ctx->value, &v, sizeof v))
		sb_printf(ctx->sb, "[%d]", v);
}

/* an int the kernel reads (sched_setparam's priority): "[5]" */
void print_int_in(const struct arg_ctx *ctx)
{
	int32_t v;
	if (ctx_fetch(ctx, ctx->value, &v, sizeof v))
		sb_printf(ctx->sb, "[%d]", v);
}

/* _llseek: the resulting 64-bit offset */
void print_loff_out(const struct arg_ctx *ctx)
{
	if (!ctx_exit_ok(ctx))
		return;
	int64_t v;
	if (ctx_fetch(ctx, ctx->value, &v, sizeof v))
		sb_printf(ctx->sb, "[%lld]", (long long)v);
}

/* _llseek(fd, offset_high, offset_low, result, whence): strace shows the
 * offset as one 64-bit number, "_llseek(3, 3, [3], SEEK_SET)". A layout of
 * the fd kind, since the halves come right after it. */
static void print_llseek_offset(const struct arg_ctx *ctx)
{
	uint64_t off = (ctx_arg(ctx, 1) << 32) | (ctx_arg(ctx, 2) & 0xffffffffu);
	sb_printf(ctx->sb, "%lld", (long long)off);
}

void layout_fd_llseek(const struct syscall_call *call, unsigned index,
		      struct arg_layout layout[SYSCALL_MAX_ARGS])
{
	if (index == 0 && call->sig && call->sig->nargs == 5 &&
	    strcmp(call->sig->name, "_llseek") == 0) {
		layout[1].print = print_llseek_offset;
		layout[2].omit = true;
	}
}

/* ---- struct user_desc (set_thread_area, get_thread_area) ---- */

/* 16 bytes: entry_number, base_addr, limit, then the bit fields seg_32bit:1
 * contents:2 read_exec_only:1 limit_in_pages:1 seg_not_present:1
 * useable:1. strace 6.1 prints the whole structure (no lm: i386). */
#define USER_DESC_SIZE 16

static void user_desc(struct strbuf *sb, const unsigned char *b)
{
	uint32_t entry = (uint32_t)field_u(b, 0, 4);
	uint32_t bits = (uint32_t)field_u(b, 12, 4);
	if ((int32_t)entry == -1)
		sb_puts(sb, "{entry_number=-1");
	else
		sb_printf(sb, "{entry_number=%u", entry);
	sb_printf(sb, ", base_addr=%#08x, limit=%#08x, seg_32bit=%u, "
		  "contents=%u, read_exec_only=%u, limit_in_pages=%u, "
		  "seg_not_present=%u, useable=%u}",
		  (unsigned)field_u(b, 4, 4), (unsigned)field_u(b, 8, 4), bits & 1,
		  (bits >> 1) & 3, (bits >> 3) & 1, (bits >> 4) & 1,
		  (bits >> 5) & 1, (bits >> 6) & 1);
}

void print_user_desc_in(const struct arg_ctx *ctx)
{
	unsigned char b[USER_DESC_SIZE];
	if (!ctx_fetch(ctx, ctx->value, b, sizeof b))
		return;
	user_desc(ctx->sb, b);
}

void print_user_desc_out(const struct arg_ctx *ctx)
{
	if (!ctx_exit_ok(ctx))
		return;
	unsigned char b[USER_DESC_SIZE];
	if (!ctx_fetch(ctx, ctx->value, b, sizeof b))
		return;
	user_desc(ctx->sb, b);
}

/* set_thread_area returns the entry the kernel chose in the structure:
 * "0 (entry_number=12)". */
bool ret_user_desc_in(struct strbuf *sb, enum xlat_style style,
		      const struct syscall_call *call, unsigned index,
		      int64_t rval)
{
	(void)style;  /* nothing named to print */
	unsigned char b[USER_DESC_SIZE];
	if (rval < 0 || mem_read(call->tid, call->args[index], b, sizeof b) !=
	    (ssize_t)sizeof b)
		return false;
	sb_printf(sb, "%lld (entry_number=%u)", (long long)rval,
		  (unsigned)field_u(b, 0, 4));
	return true;
}

/* ---- struct clone_args (clone3) ----
 *
 * strace: {flags=CLONE_VM|..., child_tid=0x..., parent_tid=0x...,
 * exit_signal=0, stack=0x..., stack_size=0x7ffa00, tls=0x...} and, when
 * the kernel stored ids, " => {pidfd=[N], parent_tid=[N]}". Printed at
 * exit, whole (the kernel reads the structure and leaves it as it was). */
#define CLONE_ARGS_MIN 64   /* up to tls: CLONE_ARGS_SIZE_VER0 */
#define CLONE_ARGS_MAX 88   /* up to cgroup: CLONE_ARGS_SIZE_VER2 */
#define CLONE3_PIDFD 0x1000ull
#define CLONE3_CHILD_SETTID 0x1000000ull
#define CLONE3_CHILD_CLEARTID 0x200000ull
#define CLONE3_PARENT_SETTID 0x100000ull
#define CLONE3_SETTLS 0x80000ull
#define CLONE3_INTO_CGROUP 0x200000000ull

/* clone3's tls: on i386 a struct user_desc, as set_thread_area takes. */
static void print_clone_args_tls(const struct arg_ctx *ctx, uint64_t tls)
{
	unsigned char desc[USER_DESC_SIZE];
	sb_puts(ctx->sb, ", tls=");
	if (ctx_word_size(ctx) == 4 && tls && ctx_read(ctx, tls, desc, sizeof desc))
		user_desc(ctx->sb, desc);
	else
		ctx_print_ptr(ctx, tls);
}

/* An id the kernel stored at ADDR: "NAME=[N]", or the address. */
static void print_stored_id(const struct arg_ctx *ctx, const char *sep,
			    const char *name, uint64_t addr)
{
	int32_t v;
	sb_printf(ctx->sb, "%s%s=", sep, name);
	if (ctx_read(ctx, addr, &v, sizeof v))
		sb_printf(ctx->sb, "[%d]", v);
	else
		ctx_print_ptr(ctx, addr);
}

/* After a successful clone3: " => {pidfd=[N], parent_tid=[N]}" for the
 * ids the flags made the kernel store. */
static void print_clone_args_ids(const struct arg_ctx *ctx,
				 const unsigned char *b, uint64_t flags)
{
	if (ctx->is_error || !(flags & (CLONE3_PIDFD | CLONE3_PARENT_SETTID)))
		return;
	const char *sep = " => {";
	if (flags & CLONE3_PIDFD) {
		print_stored_id(ctx, sep, "pidfd", field_u(b, 8, 8));
		sep = ", ";
	}
	if (flags & CLONE3_PARENT_SETTID)
		print_stored_id(ctx, sep, "parent_tid", field_u(b, 24, 8));
	sb_putc(ctx->sb, '}');
}

void print_clone_args(const struct arg_ctx *ctx)
{
	uint64_t size = ctx_arg(ctx, ctx->call->sig->aux[ctx->index]);
	unsigned char b[CLONE_ARGS_MAX] = { 0 };
	size_t fetch = size < sizeof b ? (size_t)size : sizeof b;
	if (fetch < CLONE_ARGS_MIN) {
		ctx_print_ptr(ctx, ctx->value);
		return;
	}
	if (!ctx_fetch(ctx, ctx->value, b, fetch))
		return;
	uint64_t flags = field_u(b, 0, 8);
	struct strbuf *sb = ctx->sb;
	sb_puts(sb, "{flags=");
	ctx_print_flags(ctx, &xlat_clone_flags, flags);
	if (flags & CLONE3_PIDFD) {
		sb_puts(sb, ", pidfd=");
		ctx_print_ptr(ctx, field_u(b, 8, 8));
	}
	if (flags & (CLONE3_CHILD_SETTID | CLONE3_CHILD_CLEARTID)) {
		sb_puts(sb, ", child_tid=");
		ctx_print_ptr(ctx, field_u(b, 16, 8));
	}
	if (flags & CLONE3_PARENT_SETTID) {
		sb_puts(sb, ", parent_tid=");
		ctx_print_ptr(ctx, field_u(b, 24, 8));
	}
	uint64_t sig = field_u(b, 32, 8);
	sb_puts(sb, ", exit_signal=");
	if (sig)
		print_signal_number(sb, sig);
	else
		sb_putc(sb, '0');
	sb_puts(sb, ", stack=");
	ctx_print_ptr(ctx, field_u(b, 40, 8));
	sb_printf(sb, ", stack_size=%#llx", (unsigned long long)field_u(b, 48, 8));
	if (flags & CLONE3_SETTLS)
		print_clone_args_tls(ctx, field_u(b, 56, 8));
	uint64_t set_tid = fetch > 64 ? field_u(b, 64, 8) : 0;
	uint64_t set_tid_size = fetch > 72 ? field_u(b, 72, 8) : 0;
	if (set_tid || set_tid_size) {
		sb_puts(sb, ", set_tid=");
		ctx_print_ptr(ctx, set_tid);
		sb_printf(sb, ", set_tid_size=%llu", (unsigned long long)set_tid_size);
	}
	uint64_t cgroup = fetch > 80 ? field_u(b, 80, 8) : 0;
	if (cgroup || (fetch > 80 && (flags & CLONE3_INTO_CGROUP)))
		sb_printf(sb, ", cgroup=%llu", (unsigned long long)cgroup);
	sb_putc(sb, '}');
	print_clone_args_ids(ctx, b, flags);
}
