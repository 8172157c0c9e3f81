/* x86_64's NT_PRSTATUS: struct user_regs_struct of <sys/user.h>, 27
 * registers of 8 bytes. */
#include <elf.h>
#include "ptrc/arch_regs.h"

enum {
	R15, R14, R13, R12, RBP, RBX, R11, R10, R9, R8, RAX, RCX, RDX, RSI,
	RDI, ORIG_RAX, RIP, CS, EFLAGS, RSP, SS, FS_BASE, GS_BASE, DS, ES,
	FS, GS, COUNT
};

static const struct reg_info regs[COUNT] = {
	[R15]      = { "r15",        0, 8 },
	[R14]      = { "r14",        8, 8 },
	[R13]      = { "r13",       16, 8 },
	[R12]      = { "r12",       24, 8 },
	[RBP]      = { "rbp",       32, 8 },
	[RBX]      = { "rbx",       40, 8 },
	[R11]      = { "r11",       48, 8 },
	[R10]      = { "r10",       56, 8 },
	[R9]       = { "r9",        64, 8 },
	[R8]       = { "r8",        72, 8 },
	[RAX]      = { "rax",       80, 8 },
	[RCX]      = { "rcx",       88, 8 },
	[RDX]      = { "rdx",       96, 8 },
	[RSI]      = { "rsi",      104, 8 },
	[RDI]      = { "rdi",      112, 8 },
	[ORIG_RAX] = { "orig_rax", 120, 8 },
	[RIP]      = { "rip",      128, 8 },
	[CS]       = { "cs",       136, 8 },
	[EFLAGS]   = { "eflags",   144, 8 },
	[RSP]      = { "rsp",      152, 8 },
	[SS]       = { "ss",       160, 8 },
	[FS_BASE]  = { "fs_base",  168, 8 },
	[GS_BASE]  = { "gs_base",  176, 8 },
	[DS]       = { "ds",       184, 8 },
	[ES]       = { "es",       192, 8 },
	[FS]       = { "fs",       200, 8 },
	[GS]       = { "gs",       208, 8 },
};

/* The x86_64 psABI's DWARF numbering (figure 3.36). */
static const int8_t dwarf_regs[] = {
	RAX, RDX, RCX, RBX, RSI, RDI, RBP, RSP, R8, R9, R10, R11, R12, R13,
	R14, R15, RIP,
};

const struct reg_layout regs_x86_64 = {
	.arch = PTRC_ARCH_X86_64,
	.size = 216,
	.count = COUNT,
	.regs = regs,
	.pc = RIP,
	.sp = RSP,
	.lr = REG_NONE,
	.ret = RAX,
	.args = { RDI, RSI, RDX, RCX, R8, R9 },
	.syscall_nr = RAX,
	.orig_syscall_nr = ORIG_RAX,
	.syscall_args = { RDI, RSI, RDX, R10, R8, R9 },
	.syscall_stop_dir = REG_NONE,
	.dwarf_regs = dwarf_regs,
	.ndwarf_regs = sizeof dwarf_regs,
	.dwarf_callee_saved = 1u << 3 | 1u << 6 | 1u << 7 | 1u << 12 | 1u << 13 |
			      1u << 14 | 1u << 15,  /* rbx rbp rsp r12-r15 */
	/* xmm0-xmm15: user_fpregs_struct.xmm_space */
	.vec_regset = NT_PRFPREG,
	.vec_offset = 160,
	.vec_count = 16,
	.vec_dwarf_first = 17,
};
