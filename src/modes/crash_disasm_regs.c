/* Capstone's register ids -> the registers of ptrc/arch_regs.h, by name
 * (the layouts' names are the one place of the register sets). Only the
 * registers an address can be computed from: x86 general registers of 64
 * and 32 bits, aarch64's x, w, sp and zero registers. */
#include "crash_disasm_regs.h"

#ifdef PTRC_HAVE_CAPSTONE
#include <capstone/capstone.h>

struct x86_reg_map {
	unsigned cs_reg;
	const char *x86_64;  /* its register in the x86_64 set */
	const char *i386;    /* in the i386 set; NULL: none there */
	unsigned bytes;      /* how much of that register it is */
};

static const struct x86_reg_map x86_regs[] = {
	{ X86_REG_RAX, "rax", NULL, 8 }, { X86_REG_EAX, "rax", "eax", 4 },
	{ X86_REG_RBX, "rbx", NULL, 8 }, { X86_REG_EBX, "rbx", "ebx", 4 },
	{ X86_REG_RCX, "rcx", NULL, 8 }, { X86_REG_ECX, "rcx", "ecx", 4 },
	{ X86_REG_RDX, "rdx", NULL, 8 }, { X86_REG_EDX, "rdx", "edx", 4 },
	{ X86_REG_RSI, "rsi", NULL, 8 }, { X86_REG_ESI, "rsi", "esi", 4 },
	{ X86_REG_RDI, "rdi", NULL, 8 }, { X86_REG_EDI, "rdi", "edi", 4 },
	{ X86_REG_RBP, "rbp", NULL, 8 }, { X86_REG_EBP, "rbp", "ebp", 4 },
	{ X86_REG_RSP, "rsp", NULL, 8 }, { X86_REG_ESP, "rsp", "esp", 4 },
	{ X86_REG_RIP, "rip", NULL, 8 }, { X86_REG_EIP, "rip", "eip", 4 },
	{ X86_REG_R8, "r8", NULL, 8 },   { X86_REG_R8D, "r8", NULL, 4 },
	{ X86_REG_R9, "r9", NULL, 8 },   { X86_REG_R9D, "r9", NULL, 4 },
	{ X86_REG_R10, "r10", NULL, 8 }, { X86_REG_R10D, "r10", NULL, 4 },
	{ X86_REG_R11, "r11", NULL, 8 }, { X86_REG_R11D, "r11", NULL, 4 },
	{ X86_REG_R12, "r12", NULL, 8 }, { X86_REG_R12D, "r12", NULL, 4 },
	{ X86_REG_R13, "r13", NULL, 8 }, { X86_REG_R13D, "r13", NULL, 4 },
	{ X86_REG_R14, "r14", NULL, 8 }, { X86_REG_R14D, "r14", NULL, 4 },
	{ X86_REG_R15, "r15", NULL, 8 }, { X86_REG_R15D, "r15", NULL, 4 },
};

/* aarch64: x0..x28 and w0..w28 are runs of ids in capstone 4; x29, x30,
 * the stack pointer and the zero registers are not. */
struct a64_reg_map {
	unsigned cs_reg;
	const char *name;    /* NULL: the zero register */
	unsigned bytes;
};

static const struct a64_reg_map a64_regs[] = {
	{ ARM64_REG_X29, "x29", 8 }, { ARM64_REG_W29, "x29", 4 },
	{ ARM64_REG_X30, "x30", 8 }, { ARM64_REG_W30, "x30", 4 },
	{ ARM64_REG_SP, "sp", 8 },   { ARM64_REG_WSP, "sp", 4 },
	{ ARM64_REG_XZR, NULL, 8 },  { ARM64_REG_WZR, NULL, 4 },
};

static const char *const a64_x_names[29] = {
	"x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10",
	"x11", "x12", "x13", "x14", "x15", "x16", "x17", "x18", "x19", "x20",
	"x21", "x22", "x23", "x24", "x25", "x26", "x27", "x28",
};

static bool map_x86(const struct reg_layout *l, unsigned cs_reg,
		    struct disasm_reg *out)
{
	for (size_t i = 0; i < sizeof x86_regs / sizeof x86_regs[0]; i++) {
		const struct x86_reg_map *m = &x86_regs[i];
		if (m->cs_reg != cs_reg)
			continue;
		const char *name = l->arch == PTRC_ARCH_I386 ? m->i386 : m->x86_64;
		out->index = name ? reg_find(l, name) : REG_NONE;
		out->bytes = m->bytes;
		return out->index != REG_NONE;
	}
	return false;
}

static bool map_a64(const struct reg_layout *l, unsigned cs_reg,
		    struct disasm_reg *out)
{
	const char *name = NULL;
	bool found = false;
	if (cs_reg >= ARM64_REG_X0 && cs_reg <= ARM64_REG_X28) {
		name = a64_x_names[cs_reg - ARM64_REG_X0];
		out->bytes = 8;
		found = true;
	} else if (cs_reg >= ARM64_REG_W0 && cs_reg <= ARM64_REG_W28) {
		name = a64_x_names[cs_reg - ARM64_REG_W0];
		out->bytes = 4;
		found = true;
	}
	for (size_t i = 0; !found && i < sizeof a64_regs / sizeof a64_regs[0]; i++) {
		if (a64_regs[i].cs_reg == cs_reg) {
			name = a64_regs[i].name;
			out->bytes = a64_regs[i].bytes;
			found = true;
		}
	}
	if (!found)
		return false;
	out->zero = name == NULL;
	out->index = name ? reg_find(l, name) : REG_NONE;
	return out->zero || out->index != REG_NONE;
}

bool disasm_reg_map(const struct reg_layout *l, unsigned cs_reg,
		    struct disasm_reg *out)
{
	*out = (struct disasm_reg){ .index = REG_NONE };
	if (l->arch == PTRC_ARCH_AARCH64)
		return map_a64(l, cs_reg, out);
	return map_x86(l, cs_reg, out);
}

uint64_t disasm_reg_value(const struct reg_layout *l, const void *regs,
			  const struct disasm_reg *r)
{
	if (r->zero)
		return 0;
	uint64_t v = reg_get(l, regs, r->index);
	return r->bytes == 4 ? (uint32_t)v : v;
}
#endif
