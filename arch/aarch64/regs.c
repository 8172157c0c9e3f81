/* arch_regs_syscall_info for an aarch64 host: NT_PRSTATUS gives struct
 * user_pt_regs (x0..x30, sp, pc, pstate). The syscall number is in x8 and
 * the arguments in x0..x5; the return value overwrites x0 at the exit stop,
 * so the engine keeps the entry's x0 (tracee->args[0]). 32-bit (AArch32)
 * tracees, whose regset is 18 x 4 bytes, are not supported. */
#include "ptrc/arch_regs.h"

#include <asm/ptrace.h>
#include <elf.h>
#include <errno.h>
#include <linux/audit.h>
#include <string.h>
#include <sys/uio.h>

_Static_assert(sizeof(struct user_pt_regs) == 34 * 8, "x0..x30 sp pc pstate");

int arch_regs_syscall_info(pid_t tid, uint8_t expect,
			   struct __ptrace_syscall_info *info)
{
	struct user_pt_regs r;
	struct iovec iov = { &r, sizeof r };
	if (ptrace(PTRACE_GETREGSET, tid, (void *)NT_PRSTATUS, &iov) < 0)
		return -1;
	if (iov.iov_len != sizeof r) {
		errno = EINVAL;
		return -1;
	}

	memset(info, 0, sizeof *info);
	info->arch = AUDIT_ARCH_AARCH64;
	info->instruction_pointer = r.pc;
	info->stack_pointer = r.sp;
	/* At a syscall-entry or -exit stop (not a seccomp stop) the kernel
	 * shows 0 (entry) or 1 (exit) in x7 for the stop's duration
	 * (arch/arm64/kernel/ptrace.c, report_syscall): it resyncs the
	 * engine's toggle. */
	if (expect == PTRACE_SYSCALL_INFO_SECCOMP)
		info->op = PTRACE_SYSCALL_INFO_ENTRY;
	else if (r.regs[7] == 0)
		info->op = PTRACE_SYSCALL_INFO_ENTRY;
	else if (r.regs[7] == 1)
		info->op = PTRACE_SYSCALL_INFO_EXIT;
	else
		info->op = expect;

	if (info->op == PTRACE_SYSCALL_INFO_ENTRY) {
		info->entry.nr = r.regs[8];
		memcpy(info->entry.args, r.regs, sizeof info->entry.args);
	} else {
		int64_t rval = (int64_t)r.regs[0];
		info->exit.is_error = rval >= -4095 && rval <= -1;
		info->exit.rval = rval;
	}
	return 0;
}
