/* arch_regs_syscall_info (ptrc/arch_regs.h): a syscall stop read from
 * PTRACE_GETREGSET NT_PRSTATUS through the register tables. On x86_64 the
 * size returned tells a 32-bit tracee's set (i386's) from a 64-bit one's. */
#include "ptrc/arch_regs.h"

#include <elf.h>
#include <errno.h>
#include <string.h>
#include <sys/uio.h>

/* Register I as a signed number: a 4-byte one sign-extended (i386's eax),
 * as the kernel's syscall_get_error reads it. */
static int64_t reg_signed(const struct reg_layout *l, const void *buf, int i)
{
	uint64_t v = reg_get(l, buf, i);
	return l->regs[i].size == 4 ? (int32_t)(uint32_t)v : (int64_t)v;
}

/* Entry or exit, from the engine's guess EXPECT. A seccomp stop is an
 * entry. Where the kernel shows which (syscall_stop_dir: aarch64's x7) it
 * resyncs the guess. Elsewhere -ENOSYS does, one way: the entry code puts
 * it in the return register before the entry stop, but a syscall may
 * return it too, so an "entry" stop without it is an exit (a fork child's
 * first stop, or a process attached in the middle of a syscall). */
static uint8_t stop_op(const struct reg_layout *l, const void *buf,
		       uint8_t expect)
{
	if (expect == PTRACE_SYSCALL_INFO_SECCOMP)
		return PTRACE_SYSCALL_INFO_ENTRY;
	if (l->syscall_stop_dir != REG_NONE) {
		uint64_t dir = reg_get(l, buf, l->syscall_stop_dir);
		if (dir == 0)
			return PTRACE_SYSCALL_INFO_ENTRY;
		if (dir == 1)
			return PTRACE_SYSCALL_INFO_EXIT;
		return expect;
	}
	if (expect == PTRACE_SYSCALL_INFO_ENTRY &&
	    reg_signed(l, buf, l->ret) != -ENOSYS)
		return PTRACE_SYSCALL_INFO_EXIT;
	return expect;
}

int arch_regs_syscall_info(pid_t tid, uint8_t expect,
			   struct __ptrace_syscall_info *info)
{
	uint64_t buf[REGS_MAX_SIZE / 8];
	struct iovec iov = { buf, sizeof buf };
	if (ptrace(PTRACE_GETREGSET, tid, (void *)NT_PRSTATUS, &iov) < 0)
		return -1;
	const struct reg_layout *l = reg_layout_by_size(iov.iov_len);
	if (!l) {
		errno = EINVAL;
		return -1;
	}

	memset(info, 0, sizeof *info);
	info->arch = arch_audit(l->arch);
	info->instruction_pointer = reg_get(l, buf, l->pc);
	info->stack_pointer = reg_get(l, buf, l->sp);
	info->op = stop_op(l, buf, expect);
	if (info->op == PTRACE_SYSCALL_INFO_ENTRY) {
		int nr = l->orig_syscall_nr != REG_NONE ? l->orig_syscall_nr :
			 l->syscall_nr;
		info->entry.nr = reg_get(l, buf, nr);
		for (int i = 0; i < 6; i++)
			info->entry.args[i] = reg_get(l, buf, l->syscall_args[i]);
	} else {
		/* An error sign-extended, like the kernel's syscall_get_error;
		 * any other value is unsigned (an i386 mmap2 address above
		 * 2 GiB). On aarch64 the value overwrites x0, the first
		 * argument: the engine keeps the entry's (tracee->args). */
		int64_t ret = reg_signed(l, buf, l->ret);
		info->exit.is_error = ret >= -4095 && ret <= -1;
		info->exit.rval = info->exit.is_error ? ret :
				  (int64_t)reg_get(l, buf, l->ret);
	}
	return 0;
}
