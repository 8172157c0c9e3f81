/* aarch64's NT_PRSTATUS: struct user_pt_regs of <asm/ptrace.h>, x0..x30,
 * sp, pc, pstate, 8 bytes each (struct insn_a64_regs of ptrc/lcall.h is
 * the same). A 32-bit (AArch32) tracee's set, 18 x 4 bytes, has no
 * layout here: such tracees are not supported. */
#include <elf.h>
#include "ptrc/arch_regs.h"

enum {
	X0, X1, X2, X3, X4, X5, X6, X7, X8, X9, X10, X11, X12, X13, X14, X15,
	X16, X17, X18, X19, X20, X21, X22, X23, X24, X25, X26, X27, X28, X29,
	X30, SP, PC, PSTATE, COUNT
};

static const struct reg_info regs[COUNT] = {
	[X0]     = { "x0",       0, 8 },
	[X1]     = { "x1",       8, 8 },
	[X2]     = { "x2",      16, 8 },
	[X3]     = { "x3",      24, 8 },
	[X4]     = { "x4",      32, 8 },
	[X5]     = { "x5",      40, 8 },
	[X6]     = { "x6",      48, 8 },
	[X7]     = { "x7",      56, 8 },
	[X8]     = { "x8",      64, 8 },
	[X9]     = { "x9",      72, 8 },
	[X10]    = { "x10",     80, 8 },
	[X11]    = { "x11",     88, 8 },
	[X12]    = { "x12",     96, 8 },
	[X13]    = { "x13",    104, 8 },
	[X14]    = { "x14",    112, 8 },
	[X15]    = { "x15",    120, 8 },
	[X16]    = { "x16",    128, 8 },
	[X17]    = { "x17",    136, 8 },
	[X18]    = { "x18",    144, 8 },
	[X19]    = { "x19",    152, 8 },
	[X20]    = { "x20",    160, 8 },
	[X21]    = { "x21",    168, 8 },
	[X22]    = { "x22",    176, 8 },
	[X23]    = { "x23",    184, 8 },
	[X24]    = { "x24",    192, 8 },
	[X25]    = { "x25",    200, 8 },
	[X26]    = { "x26",    208, 8 },
	[X27]    = { "x27",    216, 8 },
	[X28]    = { "x28",    224, 8 },
	[X29]    = { "x29",    232, 8 },
	[X30]    = { "x30",    240, 8 },
	[SP]     = { "sp",     248, 8 },
	[PC]     = { "pc",     256, 8 },
	[PSTATE] = { "pstate", 264, 8 },
};

/* AADWARF64's numbering: x0..x30 are 0..30, sp is 31. */
static const int8_t dwarf_regs[] = {
	X0, X1, X2, X3, X4, X5, X6, X7, X8, X9, X10, X11, X12, X13, X14, X15,
	X16, X17, X18, X19, X20, X21, X22, X23, X24, X25, X26, X27, X28, X29,
	X30, SP,
};

const struct reg_layout regs_aarch64 = {
	.arch = PTRC_ARCH_AARCH64,
	.size = 272,
	.count = COUNT,
	.regs = regs,
	.pc = PC,
	.sp = SP,
	.lr = X30,
	.ret = X0,
	.args = { X0, X1, X2, X3, X4, X5 },
	.syscall_nr = X8,
	.orig_syscall_nr = REG_NONE,
	.syscall_args = { X0, X1, X2, X3, X4, X5 },
	.syscall_nr_regset = 0x404,  /* NT_ARM_SYSTEM_CALL */
	.syscall_stop_dir = X7,
	.dwarf_regs = dwarf_regs,
	.ndwarf_regs = sizeof dwarf_regs,
	.dwarf_callee_saved = (uint64_t)0x7ff << 19 | (uint64_t)1 << 31,  /* x19-x29, sp */
	/* v0-v31: user_fpsimd_state.vregs */
	.vec_regset = NT_PRFPREG,
	.vec_offset = 0,
	.vec_count = 32,
	.vec_dwarf_first = 64,
};
