/* Register access for library-call tracing, by layout tables. */
#include "lc_regs.h"

#include <elf.h>
#include <errno.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>

/* struct user_regs_struct of x86_64 (<sys/user.h>): r15 r14 r13 r12 rbp
 * rbx r11 r10 r9 r8 rax rcx rdx rsi rdi orig_rax rip cs eflags rsp ss
 * fs_base gs_base ds es fs gs. */
static const struct lc_layout x86_64_layout = {
	.arch = PTRC_ARCH_X86_64, .nwords = 27,
	.pc = 16, .sp = 19, .ret = 10, .lr = -1,
	.args = { 14, 13, 12, 11, 9, 8 },          /* rdi rsi rdx rcx r8 r9 */
	.syscall_nr = 10,                           /* rax */
	.syscall_args = { 14, 13, 12, 7, 9, 8 },    /* rdi rsi rdx r10 r8 r9 */
	.orig_syscall = 15,
};

/* struct user_pt_regs of aarch64: x0..x30, sp, pc, pstate. */
static const struct lc_layout aarch64_layout = {
	.arch = PTRC_ARCH_AARCH64, .nwords = 34,
	.pc = 32, .sp = 31, .ret = 0, .lr = 30,
	.args = { 0, 1, 2, 3, 4, 5 },
	.syscall_nr = 8,
	.syscall_args = { 0, 1, 2, 3, 4, 5 },
	.orig_syscall = -1,
};

int lc_regs_get(pid_t tid, struct lc_regs *regs)
{
	struct iovec iov = { regs->w, sizeof regs->w };
	if (ptrace(PTRACE_GETREGSET, tid, (void *)NT_PRSTATUS, &iov) < 0)
		return -1;
	/* The size tells the tracee's architecture from the host's: a
	 * 32-bit tracee has a smaller set. */
	const struct lc_layout *layout = NULL;
	if (arch_host() == PTRC_ARCH_X86_64 && iov.iov_len == 27 * 8)
		layout = &x86_64_layout;
	else if (arch_host() == PTRC_ARCH_AARCH64 && iov.iov_len == 34 * 8)
		layout = &aarch64_layout;
	if (!layout) {
		errno = ENOTSUP;
		return -1;
	}
	regs->layout = layout;
	return 0;
}

int lc_regs_set(pid_t tid, const struct lc_regs *regs)
{
	struct iovec iov = { (void *)regs->w, regs->layout->nwords * 8 };
	return ptrace(PTRACE_SETREGSET, tid, (void *)NT_PRSTATUS, &iov) < 0 ?
	       -1 : 0;
}
