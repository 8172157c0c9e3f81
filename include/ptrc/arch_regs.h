/* The syscall stop read from the tracee's registers (PTRACE_GETREGSET
 * NT_PRSTATUS), for kernels without PTRACE_GET_SYSCALL_INFO (< 5.3). One
 * implementation per host architecture: arch/HOST/regs.c. */
#ifndef PTRC_ARCH_REGS_H
#define PTRC_ARCH_REGS_H

#include <stdint.h>
#include <sys/ptrace.h>
#include <sys/types.h>

/* Fill INFO as PTRACE_GET_SYSCALL_INFO would at TID's syscall stop: op
 * (PTRACE_SYSCALL_INFO_ENTRY or _EXIT), arch (AUDIT_ARCH_*), then entry.nr
 * and entry.args, or exit.rval and exit.is_error. The registers do not say
 * entry or exit (but on aarch64, see regs.c): EXPECT is the engine's guess
 * by its in_syscall toggle, PTRACE_SYSCALL_INFO_ENTRY or _EXIT, which a
 * register hint may override to resync; PTRACE_SYSCALL_INFO_SECCOMP is a
 * seccomp stop, always an entry (reported as _ENTRY). Returns 0, or -1 with
 * errno (ESRCH: gone; EINVAL: a register set of unknown size). */
int arch_regs_syscall_info(pid_t tid, uint8_t expect,
			   struct __ptrace_syscall_info *info);

#endif
