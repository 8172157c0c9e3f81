/* The registers library-call tracing reads and writes: the tracee's
 * NT_PRSTATUS and its architecture's layout (ptrc/arch_regs.h), which says
 * where the PC, SP, arguments and return value are. */
#ifndef PTRC_LCALL_REGS_H
#define PTRC_LCALL_REGS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "ptrc/arch_regs.h"

struct lcall_regs {
	const struct reg_layout *layout;
	uint64_t buf[REGS_MAX_SIZE / 8];
};

/* Read TID's registers. Returns 0, or -1 (errno ENOTSUP for a tracee of
 * an architecture library calls cannot be traced in: a 32-bit one). */
int lcall_regs_get(pid_t tid, struct lcall_regs *regs);
int lcall_regs_set(pid_t tid, const struct lcall_regs *regs);

/* Register I (a role of the layout: regs->layout->pc...). */
static inline uint64_t lcall_reg(const struct lcall_regs *regs, int i)
{
	return reg_get(regs->layout, regs->buf, i);
}

static inline void lcall_set_reg(struct lcall_regs *regs, int i, uint64_t value)
{
	reg_set(regs->layout, regs->buf, i, value);
}

#endif
