/* arch_regs_syscall_info for an x86_64 host: NT_PRSTATUS gives the x86_64
 * struct user_regs_struct (27 x 8 bytes) for a 64-bit tracee and the i386
 * one (17 x 4 bytes) for a 32-bit tracee, so its size tells them apart. */
#include "ptrc/arch_regs.h"

#include <elf.h>
#include <errno.h>
#include <linux/audit.h>
#include <stdbool.h>
#include <string.h>
#include <sys/uio.h>
#include <sys/user.h>

/* struct user_regs_struct of i386, as the kernel's 32-bit regset view. */
struct i386_user_regs {
	uint32_t ebx, ecx, edx, esi, edi, ebp, eax;
	uint32_t xds, xes, xfs, xgs, orig_eax;
	uint32_t eip, xcs, eflags, esp, xss;
};

_Static_assert(sizeof(struct i386_user_regs) == 68, "i386 regs: 17 x 4");
_Static_assert(sizeof(struct user_regs_struct) == 216, "x86_64 regs: 27 x 8");

/* -ENOSYS: what the entry code puts in rax/eax before the entry stop. A
 * syscall may return it too, so it only resyncs the toggle one way: an
 * "entry" stop without it is an exit (a fork child's first stop, or a
 * process attached in the middle of a syscall). */
static uint8_t resync(uint8_t expect, int64_t ret)
{
	if (expect == PTRACE_SYSCALL_INFO_SECCOMP)
		return PTRACE_SYSCALL_INFO_ENTRY;
	if (expect == PTRACE_SYSCALL_INFO_ENTRY && ret != -ENOSYS)
		return PTRACE_SYSCALL_INFO_EXIT;
	return expect;
}

int arch_regs_syscall_info(pid_t tid, uint8_t expect,
			   struct __ptrace_syscall_info *info)
{
	union {
		struct user_regs_struct x64;
		struct i386_user_regs x32;
	} regs;
	struct iovec iov = { &regs, sizeof regs };
	if (ptrace(PTRACE_GETREGSET, tid, (void *)NT_PRSTATUS, &iov) < 0)
		return -1;

	memset(info, 0, sizeof *info);
	if (iov.iov_len == sizeof regs.x64) {
		const struct user_regs_struct *r = &regs.x64;
		info->arch = AUDIT_ARCH_X86_64;
		info->instruction_pointer = r->rip;
		info->stack_pointer = r->rsp;
		info->op = resync(expect, (int64_t)r->rax);
		if (info->op == PTRACE_SYSCALL_INFO_ENTRY) {
			info->entry.nr = r->orig_rax;
			uint64_t args[6] = { r->rdi, r->rsi, r->rdx,
					     r->r10, r->r8, r->r9 };
			memcpy(info->entry.args, args, sizeof args);
		} else {
			int64_t rval = (int64_t)r->rax;
			info->exit.is_error = rval >= -4095 && rval <= -1;
			info->exit.rval = rval;
		}
	} else if (iov.iov_len == sizeof regs.x32) {
		const struct i386_user_regs *r = &regs.x32;
		info->arch = AUDIT_ARCH_I386;
		info->instruction_pointer = r->eip;
		info->stack_pointer = r->esp;
		int32_t ret = (int32_t)r->eax;
		info->op = resync(expect, ret);
		if (info->op == PTRACE_SYSCALL_INFO_ENTRY) {
			info->entry.nr = r->orig_eax;
			uint64_t args[6] = { r->ebx, r->ecx, r->edx,
					     r->esi, r->edi, r->ebp };
			memcpy(info->entry.args, args, sizeof args);
		} else {
			/* An error sign-extended, like the kernel's
			 * syscall_get_error; any other value is unsigned
			 * (an mmap2 address above 2 GiB). */
			info->exit.is_error = ret >= -4095 && ret <= -1;
			info->exit.rval = info->exit.is_error ? ret :
					  (int64_t)r->eax;
		}
	} else {
		errno = EINVAL;
		return -1;
	}
	return 0;
}
