/* Signal structures: sigset_t masks, the kernel's struct sigaction,
 * siginfo_t filled by the kernel.
 *
 * Layouts: the kernel sigset is 8 bytes (64 signals) on every arch here.
 * The rt_sigaction struct is {handler, flags, restorer, mask} of words
 * (32 bytes; 20 on i386: three 4-byte words and the 8-byte mask).
 * siginfo_t is 128 bytes; its union starts at offset 16 (64-bit) or 12
 * (i386), and its fields follow the word size. */
#include "structs.h"

#include <signal.h>
#include <string.h>

#define KERNEL_SIGSET_BYTES 8
#define SA_RESTORER_FLAG 0x04000000u

static uint64_t sigset_size(const struct arg_ctx *ctx)
{
	uint8_t aux = ctx->call->sig->aux[ctx->index];
	return aux < SYSCALL_MAX_ARGS ? ctx_arg(ctx, aux) : KERNEL_SIGSET_BYTES;
}

/* A mask of LEN bytes at ADDR; the address when LEN is one the kernel
 * refuses (less than a word, more than its sigset) or memory fails. */
static void print_sigset_at(const struct arg_ctx *ctx, uint64_t addr,
			    uint64_t len)
{
	if (!addr) {
		sb_puts(ctx->sb, "NULL");
		return;
	}
	if (len < ctx_word_size(ctx) || len > KERNEL_SIGSET_BYTES) {
		ctx_print_ptr(ctx, addr);
		return;
	}
	uint8_t mask[KERNEL_SIGSET_BYTES];
	if (!ctx_read(ctx, addr, mask, (size_t)len)) {
		ctx_print_ptr(ctx, addr);
		return;
	}
	print_sigmask(ctx->sb, mask, (size_t)len);
}

void print_sigset_in(const struct arg_ctx *ctx)
{
	print_sigset_at(ctx, ctx->value, sigset_size(ctx));
}

/* io_pgetevents' (and pselect6's) {sigmask=[...], sigsetsize=8}: the
 * kernel's {const sigset_t *p; size_t size;}, two words. */
void print_kernel_sigset(const struct arg_ctx *ctx)
{
	unsigned w = ctx_word_size(ctx);
	unsigned char b[16];
	if (!ctx_fetch(ctx, ctx->value, b, 2 * (size_t)w))
		return;
	uint64_t size = field_u(b, w, w);
	sb_puts(ctx->sb, "{sigmask=");
	print_sigset_at(ctx, field_u(b, 0, w), size);
	sb_printf(ctx->sb, ", sigsetsize=%llu}", (unsigned long long)size);
}

void print_sigset_out(const struct arg_ctx *ctx)
{
	if (ctx_exit_ok(ctx))
		print_sigset_at(ctx, ctx->value, sigset_size(ctx));
}

/* Where the mask to restore lies in the signal frame, from the stack
 * pointer at rt_sigreturn's entry: the kernel's rt_sigframe, whose
 * ucontext holds uc_sigmask.
 *   x86_64: the handler's ret popped pretcode, so the frame is at sp - 8;
 *           ucontext at +8, uc_sigmask after flags, link, stack (24) and
 *           the 256-byte sigcontext: sp - 8 + 8 + 296.
 *   i386:   frame at sp - 4; pretcode, sig, pinfo, puc (16) and the
 *           128-byte siginfo come first, then uc_sigmask at 108 of the
 *           ucontext (12-byte stack, 88-byte sigcontext): sp - 4 + 252.
 *   aarch64: frame at sp; the 128-byte siginfo, then uc_sigmask at 40 of
 *           the ucontext. */
static uint64_t rt_sigframe_mask_offset(enum ptrc_arch arch)
{
	switch (arch) {
	case PTRC_ARCH_X86_64:
		return 296;
	case PTRC_ARCH_I386:
		return 248;
	case PTRC_ARCH_AARCH64:
		return 168;
	default:
		return 0;
	}
}

/* i386's sigreturn (a handler without SA_SIGINFO): the old sigframe at
 * sp - 8 holds pretcode, sig, then the sigcontext, whose oldmask (at 80)
 * is the mask's low word; the high word, extramask, follows the
 * sigcontext (88) and the 624-byte legacy _fpstate_32. */
#define I386_SIGFRAME_OLDMASK 80
#define I386_SIGFRAME_EXTRAMASK 712

void print_sigframe(const struct arg_ctx *ctx)
{
	const struct syscall_call *call = ctx->call;
	uint64_t sp = call->sp;
	sb_puts(ctx->sb, "{mask=");
	if (call->arch == PTRC_ARCH_I386 && !strcmp(call->sig->name, "sigreturn")) {
		uint8_t mask[KERNEL_SIGSET_BYTES];
		if (sp && ctx_read(ctx, sp + I386_SIGFRAME_OLDMASK, mask, 4) &&
		    ctx_read(ctx, sp + I386_SIGFRAME_EXTRAMASK, mask + 4, 4))
			print_sigmask(ctx->sb, mask, sizeof mask);
		else
			ctx_print_ptr(ctx, sp ? sp + I386_SIGFRAME_OLDMASK : 0);
	} else {
		uint64_t offset = rt_sigframe_mask_offset(call->arch);
		print_sigset_at(ctx, sp && offset ? sp + offset : 0,
				KERNEL_SIGSET_BYTES);
	}
	sb_putc(ctx->sb, '}');
}

/* SIG_DFL, SIG_IGN, SIG_ERR (all ones in the tracee's word), else the
 * address; -X prints the number. */
static void print_sa_handler(const struct arg_ctx *ctx, uint64_t handler)
{
	uint64_t all_ones = ctx_word_size(ctx) == 4 ? 0xffffffffu : UINT64_MAX;
	size_t mark = xlat_start(ctx->sb);
	const char *name = xlat_name(&xlat_sa_handler,
				     handler == all_ones ? UINT64_MAX : handler);
	if (name)
		sb_puts(ctx->sb, name);
	else
		sb_printf(ctx->sb, "%#llx", (unsigned long long)handler);
	xlat_finish(ctx->sb, ctx_xlat_style(ctx), mark, handler);
}

static void print_sigaction_at(const struct arg_ctx *ctx, uint64_t addr)
{
	unsigned w = ctx_word_size(ctx);
	unsigned char b[32];
	if (!ctx_fetch(ctx, addr, b, 3 * (size_t)w + KERNEL_SIGSET_BYTES))
		return;
	struct strbuf *sb = ctx->sb;
	uint64_t handler = field_u(b, 0, w);
	uint64_t flags = field_u(b, w, w);
	uint64_t restorer = field_u(b, 2 * (size_t)w, w);
	sb_puts(sb, "{sa_handler=");
	print_sa_handler(ctx, handler);
	sb_puts(sb, ", sa_mask=");
	print_sigmask(sb, b + 3 * w, KERNEL_SIGSET_BYTES);
	sb_puts(sb, ", sa_flags=");
	ctx_print_flags(ctx, &xlat_sa_flags, flags);
	if (flags & SA_RESTORER_FLAG) {
		sb_puts(sb, ", sa_restorer=");
		ctx_print_ptr(ctx, restorer);
	}
	sb_putc(sb, '}');
}

void print_sigaction_in(const struct arg_ctx *ctx)
{
	print_sigaction_at(ctx, ctx->value);
}

void print_sigaction_out(const struct arg_ctx *ctx)
{
	if (ctx_exit_ok(ctx))
		print_sigaction_at(ctx, ctx->value);
}

/* ---- siginfo ---- */

/* Rebuild a host siginfo_t from the tracee's 128 bytes, field by field
 * for the union member the signal and code select (decode_siginfo reads
 * the same member). */
static void siginfo_from_tracee(const struct arg_ctx *ctx,
				const unsigned char *b, siginfo_t *si)
{
	unsigned w = ctx_word_size(ctx);
	if (w == sizeof(long)) {
		memcpy(si, b, sizeof *si < 128 ? sizeof *si : 128);
		return;
	}
	memset(si, 0, sizeof *si);
	si->si_signo = (int)field_s(b, 0, 4);
	si->si_errno = (int)field_s(b, 4, 4);
	si->si_code = (int)field_s(b, 8, 4);
	const unsigned char *u = b + 3 * 4;   /* the i386 union */
	int code = si->si_code;
	if (code <= 0) {
		if (code == SI_TIMER) {
			si->si_timerid = (int)field_s(u, 0, 4);
			si->si_overrun = (int)field_s(u, 4, 4);
		} else {
			si->si_pid = (pid_t)field_s(u, 0, 4);
			si->si_uid = (uid_t)field_u(u, 4, 4);
		}
		si->si_value.sival_ptr = (void *)(uintptr_t)field_u(u, 8, 4);
		return;
	}
	switch (si->si_signo) {
	case SIGCHLD:
		si->si_pid = (pid_t)field_s(u, 0, 4);
		si->si_uid = (uid_t)field_u(u, 4, 4);
		si->si_status = (int)field_s(u, 8, 4);
		si->si_utime = (clock_t)field_s(u, 12, 4);
		si->si_stime = (clock_t)field_s(u, 16, 4);
		break;
	case SIGILL: case SIGFPE: case SIGSEGV: case SIGBUS: case SIGTRAP:
		si->si_addr = (void *)(uintptr_t)field_u(u, 0, 4);
		break;
	case SIGPOLL:
		si->si_band = (long)field_s(u, 0, 4);
		si->si_fd = (int)field_s(u, 4, 4);
		break;
	case SIGSYS:
		si->si_call_addr = (void *)(uintptr_t)field_u(u, 0, 4);
		si->si_syscall = (int)field_s(u, 4, 4);
		si->si_arch = (unsigned)field_u(u, 8, 4);
		break;
	}
}

static void print_siginfo_at(const struct arg_ctx *ctx)
{
	unsigned char b[128];
	if (!ctx_fetch(ctx, ctx->value, b, sizeof b))
		return;
	siginfo_t si;
	siginfo_from_tracee(ctx, b, &si);
	if (si.si_signo == 0) {
		/* waitid(WNOHANG) with no child to report */
		sb_puts(ctx->sb, "{}");
		return;
	}
	decode_siginfo(ctx->sb, &si);
}

void print_siginfo_out(const struct arg_ctx *ctx)
{
	if (ctx_exit_ok(ctx))
		print_siginfo_at(ctx);
}

/* a siginfo the call reads (ptrace's PTRACE_SETSIGINFO) */
void print_siginfo_in(const struct arg_ctx *ctx)
{
	print_siginfo_at(ctx);
}

/* rt_sigtimedwait returns the signal taken: "12 (SIGUSR2)". */
bool ret_siginfo_out(struct strbuf *sb, enum xlat_style style,
		     const struct syscall_call *call, unsigned index,
		     int64_t rval)
{
	(void)style;  /* signal names print alike in every style */
	(void)index;
	if (!call->sig || strncmp(call->sig->name, "rt_sigtimedwait", 15) != 0 ||
	    rval <= 0)
		return false;
	sb_printf(sb, "%lld (", (long long)rval);
	decode_signal_name(sb, (int)rval);
	sb_putc(sb, ')');
	return true;
}

/* ---- stack_t (sigaltstack) ---- */

/* {ss_sp=0x..., ss_flags=SS_DISABLE, ss_size=65536}: a pointer, an int
 * and a size_t, each of the tracee's word size (the int padded). */
static void stack_t_(const struct arg_ctx *ctx)
{
	unsigned w = ctx_word_size(ctx);
	unsigned char b[24];
	if (!ctx_fetch(ctx, ctx->value, b, 3 * (size_t)w))
		return;
	sb_puts(ctx->sb, "{ss_sp=");
	ctx_print_ptr(ctx, field_u(b, 0, w));
	sb_puts(ctx->sb, ", ss_flags=");
	ctx_print_flags(ctx, &xlat_ss_flags, (uint32_t)field_u(b, w, 4));
	sb_printf(ctx->sb, ", ss_size=%llu}",
		  (unsigned long long)field_u(b, 2 * (size_t)w, w));
}

void print_stack_in(const struct arg_ctx *ctx)
{
	stack_t_(ctx);
}

void print_stack_out(const struct arg_ctx *ctx)
{
	if (ctx_exit_ok(ctx))
		stack_t_(ctx);
}
