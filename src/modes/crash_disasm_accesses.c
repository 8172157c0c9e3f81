/* The addresses one instruction's memory accesses use, computed from the
 * faulting thread's registers as the CPU would: x86 segment base + base +
 * index*scale + displacement (rip-relative: from the next instruction),
 * cut to 32 bits where the address size is 32, and the stack slot a push,
 * call, pop or ret touches besides its operands; aarch64 base + offset
 * (an immediate, or a register extended and shifted), the base alone for a
 * post-index access, and pc-relative literals. */
#include "crash_disasm_accesses.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "crash_disasm_regs.h"

static void say(struct disasm_access *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Appends to A's formula. */
static void say(struct disasm_access *a, const char *fmt, ...)
{
	size_t used = strlen(a->formula);
	if (used + 1 >= sizeof a->formula)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(a->formula + used, sizeof a->formula - used, fmt, ap);
	va_end(ap);
}

/* A term of the sum: "NAME=0xVALUE", with " + " between terms. Returns
 * false (and says why) when REG is not one whose value ptrc has. */
static bool reg_term(csh h, unsigned reg, const struct reg_layout *l,
		     const void *regs, const char *prefix,
		     struct disasm_access *a, uint64_t *value, unsigned *bytes)
{
	struct disasm_reg r;
	const char *name = cs_reg_name(h, reg);
	if (!disasm_reg_map(l, reg, &r)) {
		a->known = false;
		snprintf(a->formula, sizeof a->formula,
			 "register %s%s not in the register set", prefix,
			 name ? name : "?");
		return false;
	}
	*value = disasm_reg_value(l, regs, &r);
	*bytes = r.bytes;
	say(a, "%s%s%s=0x%" PRIx64, a->formula[0] ? " + " : "", prefix,
	    name ? name : "?", *value);
	return true;
}

static void disp_term(struct disasm_access *a, int64_t disp)
{
	if (disp < 0)
		say(a, " - 0x%" PRIx64, (uint64_t)0 - (uint64_t)disp);
	else if (disp > 0 || !a->formula[0])
		say(a, "%s0x%" PRIx64, a->formula[0] ? " + " : "", (uint64_t)disp);
}

static void set_rw(struct disasm_access *a, uint8_t access)
{
	snprintf(a->rw, sizeof a->rw, "%s",
		 (access & CS_AC_READ) && (access & CS_AC_WRITE) ? "read+write" :
		 access & CS_AC_WRITE ? "write" :
		 access & CS_AC_READ ? "read" : "");
}

/* The segment base of an x86 operand: fs and gs only (the others are 0
 * in every mode Linux runs processes in). */
static bool x86_segment(csh h, unsigned segment, const struct disasm_segments *seg,
			struct disasm_access *a, uint64_t *base)
{
	*base = 0;
	if (segment != X86_REG_FS && segment != X86_REG_GS)
		return true;
	bool fs = segment == X86_REG_FS;
	if (!(fs ? seg->fs_known : seg->gs_known)) {
		snprintf(a->formula, sizeof a->formula, "%%%s base unknown",
			 cs_reg_name(h, segment));
		return false;
	}
	*base = fs ? seg->fs : seg->gs;
	say(a, "%%%s base=0x%" PRIx64, cs_reg_name(h, segment), *base);
	return true;
}

static void x86_operand(csh h, const cs_insn *insn, const cs_x86_op *op,
			const struct reg_layout *l, const void *regs,
			const struct disasm_segments *seg, struct disasm_access *a)
{
	snprintf(a->what, sizeof a->what, "operand");
	set_rw(a, op->access);
	a->size = op->size;
	uint64_t segbase, v, offset = 0;
	unsigned bytes;
	bool narrow = l->arch == PTRC_ARCH_I386;
	if (!x86_segment(h, op->mem.segment, seg, a, &segbase))
		return;
	if (op->mem.base == X86_REG_RIP || op->mem.base == X86_REG_EIP) {
		offset = insn->address + insn->size;
		say(a, "%snext instruction 0x%" PRIx64,
		    a->formula[0] ? " + " : "", offset);
	} else if (op->mem.base != X86_REG_INVALID) {
		if (!reg_term(h, op->mem.base, l, regs, "%", a, &v, &bytes))
			return;
		offset += v;
		narrow |= bytes == 4;
	}
	if (op->mem.index != X86_REG_INVALID) {
		if (!reg_term(h, op->mem.index, l, regs, "%", a, &v, &bytes))
			return;
		if (op->mem.scale > 1)
			say(a, "*%d", op->mem.scale);
		offset += v * (uint64_t)op->mem.scale;
		narrow |= bytes == 4;
	}
	disp_term(a, op->mem.disp);
	offset += (uint64_t)op->mem.disp;
	/* A 32-bit address size wraps the offset before the base is added. */
	if (narrow)
		offset = (uint32_t)offset;
	a->address = segbase + offset;
	if (l->arch == PTRC_ARCH_I386)
		a->address = (uint32_t)a->address;
	a->known = true;
}

/* The stack slot of a push or call (written below sp) or of a pop or
 * ret (read at sp). */
static bool x86_stack(csh h, const cs_insn *insn, const struct reg_layout *l,
		      const void *regs, struct disasm_access *a)
{
	const cs_x86 *x = &insn->detail->x86;
	unsigned word = l->arch == PTRC_ARCH_I386 ? 4 : 8;
	bool push = insn->id == X86_INS_PUSH || cs_insn_group(h, insn, CS_GRP_CALL);
	bool pop = insn->id == X86_INS_POP || cs_insn_group(h, insn, CS_GRP_RET);
	if (!push && !pop)
		return false;
	uint64_t sp = reg_get(l, regs, l->sp);
	unsigned size = word;
	if (insn->id == X86_INS_PUSH || insn->id == X86_INS_POP)
		size = x->op_count && x->operands[0].size ? x->operands[0].size : word;
	snprintf(a->what, sizeof a->what, "%s", insn->mnemonic);
	snprintf(a->rw, sizeof a->rw, "%s", push ? "write" : "read");
	a->size = size;
	a->address = push ? sp - size : sp;
	if (word == 4)
		a->address = (uint32_t)a->address;
	say(a, "%%%s=0x%" PRIx64 "%s", l->regs[l->sp].name, sp,
	    push ? (size == 8 ? " - 8" : size == 4 ? " - 4" : " - 2") : "");
	a->known = true;
	return true;
}

int accesses_x86(csh h, const cs_insn *insn, const struct reg_layout *l,
		 const void *regs, const struct disasm_segments *seg,
		 struct disasm_access *out, size_t max)
{
	const cs_x86 *x = &insn->detail->x86;
	size_t n = 0;
	/* lea and the long nops have a memory operand they never access. */
	if (insn->id == X86_INS_LEA || insn->id == X86_INS_NOP)
		return 0;
	for (unsigned i = 0; i < x->op_count && n < max; i++) {
		if (x->operands[i].type != X86_OP_MEM)
			continue;
		memset(&out[n], 0, sizeof out[n]);
		x86_operand(h, insn, &x->operands[i], l, regs, seg, &out[n]);
		n++;
	}
	if (n < max) {
		memset(&out[n], 0, sizeof out[n]);
		if (x86_stack(h, insn, l, regs, &out[n]))
			n++;
	}
	return (int)n;
}

/* ---- aarch64 ---- */

/* Bytes moved by a load or store, from its first data register and its
 * mnemonic (ldrb, ldrsh, ldrsw, the pairs); 0 when unknown. */
static unsigned a64_size(csh h, const cs_insn *insn)
{
	const cs_arm64 *x = &insn->detail->arm64;
	const char *m = insn->mnemonic;
	const char *reg = x->op_count && x->operands[0].type == ARM64_OP_REG ?
		cs_reg_name(h, x->operands[0].reg) : NULL;
	unsigned size = 0;
	if (reg) {
		switch (reg[0]) {
		case 'x': case 'd': size = 8; break;
		case 'w': case 's': size = 4; break;
		case 'q': size = 16; break;
		case 'h': size = 2; break;
		case 'b': size = 1; break;
		}
	}
	size_t len = strlen(m);
	bool byte_half = strncmp(m, "ld", 2) == 0 || strncmp(m, "st", 2) == 0;
	if (byte_half && len > 2 && strcmp(m, "ldrsw") != 0 &&
	    strcmp(m, "ldursw") != 0 && (m[len - 1] == 'b' || m[len - 1] == 'h'))
		return m[len - 1] == 'b' ? 1 : 2;
	if (strcmp(m, "ldrsw") == 0 || strcmp(m, "ldursw") == 0)
		return 4;
	if (!strcmp(m, "ldp") || !strcmp(m, "stp") || !strcmp(m, "ldnp") ||
	    !strcmp(m, "stnp"))
		return 2 * size;
	if (!strcmp(m, "ldpsw"))
		return 8;
	return size;
}

/* The index register, extended and shifted: "w2=0x.. sxtw << 2". */
static bool a64_index(csh h, const cs_arm64_op *op, const struct reg_layout *l,
		      const void *regs, struct disasm_access *a, uint64_t *out)
{
	static const char *const ext_names[] = {
		"", "uxtb", "uxth", "uxtw", "uxtx", "sxtb", "sxth", "sxtw", "sxtx",
	};
	uint64_t v;
	unsigned bytes;
	if (!reg_term(h, op->mem.index, l, regs, "", a, &v, &bytes))
		return false;
	switch (op->ext) {
	case ARM64_EXT_UXTB: v = (uint8_t)v; break;
	case ARM64_EXT_UXTH: v = (uint16_t)v; break;
	case ARM64_EXT_UXTW: v = (uint32_t)v; break;
	case ARM64_EXT_SXTB: v = (uint64_t)(int64_t)(int8_t)v; break;
	case ARM64_EXT_SXTH: v = (uint64_t)(int64_t)(int16_t)v; break;
	case ARM64_EXT_SXTW: v = (uint64_t)(int64_t)(int32_t)v; break;
	default: break;
	}
	if (op->ext > ARM64_EXT_INVALID && op->ext <= ARM64_EXT_SXTX)
		say(a, " %s", ext_names[op->ext]);
	if (op->shift.type == ARM64_SFT_LSL && op->shift.value) {
		say(a, " << %u", op->shift.value);
		v <<= op->shift.value;
	}
	*out = v;
	return true;
}

static void a64_operand(csh h, const cs_insn *insn, unsigned i,
			const struct reg_layout *l, const void *regs,
			struct disasm_access *a)
{
	const cs_arm64 *x = &insn->detail->arm64;
	const cs_arm64_op *op = &x->operands[i];
	/* Post-index ("[x1], #8") is the base alone and an immediate after
	 * the memory operand; the base moves after the access. */
	bool post = x->writeback && i + 1 < x->op_count &&
		    x->operands[i + 1].type == ARM64_OP_IMM;
	uint64_t base, index = 0;
	unsigned bytes;
	if (!reg_term(h, op->mem.base, l, regs, "", a, &base, &bytes))
		return;
	if (op->mem.index != ARM64_REG_INVALID &&
	    !a64_index(h, op, l, regs, a, &index))
		return;
	if (post)
		say(a, " (post-index: the base before its update)");
	else
		disp_term(a, op->mem.disp);
	a->address = base + index + (post ? 0 : (uint64_t)(int64_t)op->mem.disp);
	a->known = true;
}

int accesses_a64(csh h, const cs_insn *insn, const struct reg_layout *l,
		 const void *regs, struct disasm_access *out, size_t max)
{
	const cs_arm64 *x = &insn->detail->arm64;
	const char *m = insn->mnemonic;
	bool load = strncmp(m, "ld", 2) == 0 || strncmp(m, "prfm", 4) == 0;
	bool store = strncmp(m, "st", 2) == 0;
	size_t n = 0;
	for (unsigned i = 0; i < x->op_count && n < max; i++) {
		struct disasm_access *a = &out[n];
		memset(a, 0, sizeof *a);
		snprintf(a->what, sizeof a->what, "operand");
		snprintf(a->rw, sizeof a->rw, "%s", load ? "read" :
			 store ? "write" : "");
		a->size = a64_size(h, insn);
		if (x->operands[i].type == ARM64_OP_MEM) {
			a64_operand(h, insn, i, l, regs, a);
			n++;
		} else if (load && i == 1 && x->op_count == 2 &&
			   x->operands[1].type == ARM64_OP_IMM) {
			/* A literal load: capstone gives the address itself. */
			a->address = (uint64_t)x->operands[1].imm;
			say(a, "pc-relative 0x%" PRIx64, a->address);
			a->known = true;
			n++;
		}
	}
	return (int)n;
}
