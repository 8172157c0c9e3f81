/* Breakpoint instructions, and the instruction a breakpoint replaced:
 * dispatch to the decoder of the tracee's architecture. i386 tracees are
 * not supported (no breakpoint, every instruction INSN_UNSUPPORTED). */
#include <string.h>

#include "insn_arch.h"

size_t insn_breakpoint(enum ptrc_arch arch, uint8_t out[4])
{
	switch (arch) {
	case PTRC_ARCH_X86_64:
		out[0] = 0xcc;  /* int3 */
		return 1;
	case PTRC_ARCH_AARCH64:
		/* brk #0 (0xd4200000), little-endian */
		out[0] = 0x00;
		out[1] = 0x00;
		out[2] = 0x20;
		out[3] = 0xd4;
		return 4;
	default:
		return 0;
	}
}

int insn_plan(enum ptrc_arch arch, const uint8_t *code, size_t avail,
	      uint64_t orig, struct insn_plan *plan)
{
	memset(plan, 0, sizeof *plan);
	plan->kind = INSN_UNSUPPORTED;
	switch (arch) {
	case PTRC_ARCH_X86_64:
		return insn_plan_x86_64(code, avail, plan);
	case PTRC_ARCH_AARCH64:
		return insn_plan_aarch64(code, avail, orig, plan);
	default:
		return 0;
	}
}

int insn_relocate(enum ptrc_arch arch, const struct insn_plan *plan,
		  const uint8_t *code, uint64_t orig, uint64_t slot,
		  uint8_t *out)
{
	if (plan->kind != INSN_DISPLACE)
		return -1;
	switch (arch) {
	case PTRC_ARCH_X86_64:
		return insn_relocate_x86_64(plan, code, orig, slot, out);
	case PTRC_ARCH_AARCH64:
		return insn_relocate_aarch64(plan, code, out);
	default:
		return -1;
	}
}
