/* i386's NT_PRSTATUS: struct user_regs_struct of i386, 17 registers of 4
 * bytes, also what an x86_64 kernel gives for a 32-bit tracee. The
 * segment registers print as ds, es... (the struct says xds, xes...). */
#include <elf.h>
#include "ptrc/arch_regs.h"

enum {
	EBX, ECX, EDX, ESI, EDI, EBP, EAX, DS, ES, FS, GS, ORIG_EAX, EIP,
	CS, EFLAGS, ESP, SS, COUNT
};

static const struct reg_info regs[COUNT] = {
	[EBX]      = { "ebx",       0, 4 },
	[ECX]      = { "ecx",       4, 4 },
	[EDX]      = { "edx",       8, 4 },
	[ESI]      = { "esi",      12, 4 },
	[EDI]      = { "edi",      16, 4 },
	[EBP]      = { "ebp",      20, 4 },
	[EAX]      = { "eax",      24, 4 },
	[DS]       = { "ds",       28, 4 },
	[ES]       = { "es",       32, 4 },
	[FS]       = { "fs",       36, 4 },
	[GS]       = { "gs",       40, 4 },
	[ORIG_EAX] = { "orig_eax", 44, 4 },
	[EIP]      = { "eip",      48, 4 },
	[CS]       = { "cs",       52, 4 },
	[EFLAGS]   = { "eflags",   56, 4 },
	[ESP]      = { "esp",      60, 4 },
	[SS]       = { "ss",       64, 4 },
};

/* The i386 psABI's DWARF numbering. */
static const int8_t dwarf_regs[] = {
	EAX, ECX, EDX, EBX, ESP, EBP, ESI, EDI, EIP,
};

const struct reg_layout regs_i386 = {
	.arch = PTRC_ARCH_I386,
	.size = 68,
	.count = COUNT,
	.regs = regs,
	.pc = EIP,
	.sp = ESP,
	.lr = REG_NONE,
	.ret = EAX,
	.args = { REG_NONE, REG_NONE, REG_NONE, REG_NONE, REG_NONE, REG_NONE },
	.syscall_nr = EAX,
	.orig_syscall_nr = ORIG_EAX,
	.syscall_args = { EBX, ECX, EDX, ESI, EDI, EBP },
	.syscall_stop_dir = REG_NONE,
	.dwarf_regs = dwarf_regs,
	.ndwarf_regs = sizeof dwarf_regs,
	.dwarf_callee_saved = 1u << 3 | 1u << 4 | 1u << 5 | 1u << 6 | 1u << 7,  /* ebx esp ebp esi edi */
	/* xmm0-xmm7: the fxsave area (NT_PRFPREG has none) */
	.vec_regset = NT_PRXFPREG,
	.vec_offset = 160,
	.vec_count = 8,
	.vec_dwarf_first = 21,
};
