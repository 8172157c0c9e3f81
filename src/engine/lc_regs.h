/* The registers library-call tracing reads and writes: the tracee's
 * NT_PRSTATUS and its architecture's layout (ptrc/arch_regs.h), which says
 * where the PC, SP, arguments and return value are. */
#ifndef PTRC_LC_REGS_H
#define PTRC_LC_REGS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "ptrc/arch_regs.h"

struct lc_regs {
	const struct reg_layout *layout;
	uint64_t buf[REGS_MAX_SIZE / 8];
};

/* Read TID's registers. Returns 0, or -1 (errno ENOTSUP for a tracee of
 * an architecture library calls cannot be traced in: a 32-bit one). */
int lc_regs_get(pid_t tid, struct lc_regs *regs);
int lc_regs_set(pid_t tid, const struct lc_regs *regs);

/* Register I (a role of the layout: regs->layout->pc...). */
static inline uint64_t lc_reg(const struct lc_regs *regs, int i)
{
	return reg_get(regs->layout, regs->buf, i);
}

static inline void lc_set_reg(struct lc_regs *regs, int i, uint64_t value)
{
	reg_set(regs->layout, regs->buf, i, value);
}

#endif
