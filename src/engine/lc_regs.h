/* The registers library-call tracing reads and writes, for the tracee's
 * architecture: NT_PRSTATUS as an array of 64-bit words, and where in it
 * the PC, SP, arguments and return value are (a layout per architecture,
 * as data). */
#ifndef PTRC_LC_REGS_H
#define PTRC_LC_REGS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "ptrc/arch.h"

#define LC_REGS_MAX 40

struct lc_layout {
	enum ptrc_arch arch;
	unsigned nwords;       /* NT_PRSTATUS size in 64-bit words */
	int pc, sp, ret;       /* word indices */
	int lr;                /* link register (aarch64), -1 when the
				* return address is on the stack */
	int args[6];           /* the C calling convention's argument regs */
	int syscall_nr;        /* the register the syscall number goes in */
	int syscall_args[6];
	int orig_syscall;      /* x86_64 orig_rax: -1 cancels a restart */
};

struct lc_regs {
	const struct lc_layout *layout;
	uint64_t w[LC_REGS_MAX];
};

/* Read TID's registers. Returns 0, or -1 (errno ENOTSUP for a tracee of
 * an architecture library calls cannot be traced in: a 32-bit one). */
int lc_regs_get(pid_t tid, struct lc_regs *regs);
int lc_regs_set(pid_t tid, const struct lc_regs *regs);

static inline uint64_t lc_pc(const struct lc_regs *r)
{
	return r->w[r->layout->pc];
}

static inline uint64_t lc_sp(const struct lc_regs *r)
{
	return r->w[r->layout->sp];
}

#endif
