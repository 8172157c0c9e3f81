/* Register access for library-call tracing, by the register tables. */
#include "regs.h"

#include <elf.h>
#include <errno.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>

int lcall_regs_get(pid_t tid, struct lcall_regs *regs)
{
	struct iovec iov = { regs->buf, sizeof regs->buf };
	if (ptrace(PTRACE_GETREGSET, tid, (void *)NT_PRSTATUS, &iov) < 0)
		return -1;
	/* The size tells the tracee's architecture from the host's: a
	 * 32-bit tracee has a smaller set. */
	const struct reg_layout *layout = reg_layout_by_size(iov.iov_len);
	if (!layout || layout->arch != arch_host()) {
		errno = ENOTSUP;
		return -1;
	}
	regs->layout = layout;
	return 0;
}

int lcall_regs_set(pid_t tid, const struct lcall_regs *regs)
{
	struct iovec iov = { (void *)regs->buf, regs->layout->size };
	return ptrace(PTRACE_SETREGSET, tid, (void *)NT_PRSTATUS, &iov) < 0 ?
	       -1 : 0;
}
