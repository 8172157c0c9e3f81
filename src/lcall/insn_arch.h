/* The per-architecture halves of insn_plan and insn_relocate (ptrc/lcall.h),
 * which src/lcall/insn.c dispatches to. PLAN arrives zeroed. */
#ifndef PTRC_LCALL_INSN_ARCH_H
#define PTRC_LCALL_INSN_ARCH_H

#include <stddef.h>
#include <stdint.h>
#include "ptrc/lcall.h"

int insn_plan_x86_64(const uint8_t *code, size_t avail, struct insn_plan *plan);
int insn_relocate_x86_64(const struct insn_plan *plan, const uint8_t *code,
			 uint64_t orig, uint64_t slot, uint8_t *out);

int insn_plan_aarch64(const uint8_t *code, size_t avail, uint64_t orig,
		      struct insn_plan *plan);
int insn_relocate_aarch64(const struct insn_plan *plan, const uint8_t *code,
			  uint8_t *out);

#endif
