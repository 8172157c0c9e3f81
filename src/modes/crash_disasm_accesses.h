/* The memory accesses of one capstone-decoded instruction, x86 and
 * aarch64 (crash_disasm_accesses.c; crash_disasm.c's helper, only built
 * with capstone). */
#ifndef PTRC_MODES_CRASH_DISASM_ACCESSES_H
#define PTRC_MODES_CRASH_DISASM_ACCESSES_H

#include <capstone/capstone.h>

#include "crash_disasm.h"

int accesses_x86(csh h, const cs_insn *insn, const struct reg_layout *l,
		 const void *regs, const struct disasm_segments *seg,
		 struct disasm_access *out, size_t max);
int accesses_a64(csh h, const cs_insn *insn, const struct reg_layout *l,
		 const void *regs, struct disasm_access *out, size_t max);

#endif
