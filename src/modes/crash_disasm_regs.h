/* Capstone's register ids mapped to ptrc/arch_regs.h's register sets
 * (crash_disasm.c's helper; only built with capstone). */
#ifndef PTRC_MODES_CRASH_DISASM_REGS_H
#define PTRC_MODES_CRASH_DISASM_REGS_H

#include <stdbool.h>
#include <stdint.h>

#include "ptrc/arch_regs.h"

struct disasm_reg {
	int index;       /* in the layout, or REG_NONE */
	unsigned bytes;  /* 4: the low half of that register (eax of rax, w1) */
	bool zero;       /* aarch64 xzr/wzr: always 0 */
};

/* Capstone register CS_REG of an instruction decoded for L's
 * architecture. false: not a register ptrc knows the value of. */
bool disasm_reg_map(const struct reg_layout *l, unsigned cs_reg,
		    struct disasm_reg *out);
/* Its value in REGS, cut to its size. */
uint64_t disasm_reg_value(const struct reg_layout *l, const void *regs,
			  const struct disasm_reg *r);

#endif
