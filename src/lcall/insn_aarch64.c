/* aarch64 instructions under a breakpoint: which to skip, which to emulate
 * (the PC-relative ones: their reach is too short to run them from a slot
 * page), which cannot be stepped out of line, and the emulation itself.
 * Instructions are 4 bytes, little-endian. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "insn_arch.h"

/* The instructions insn_emulate_a64 knows. */
enum a64_op {
	A64_NONE,
	A64_ADR,
	A64_ADRP,
	A64_B,        /* b, bl */
	A64_BCOND,    /* b.cond, bc.cond */
	A64_CB,       /* cbz, cbnz */
	A64_TB,       /* tbz, tbnz */
	A64_LDR_LIT,  /* ldr (literal), 32 and 64-bit */
	A64_LDRSW_LIT,
	A64_PRFM_LIT,
};

/* Instruction classes: INSN matches when (insn & mask) == value; the
 * first match wins; no match is INSN_DISPLACE. */
struct a64_class {
	uint32_t mask, value;
	enum insn_kind kind;
	enum a64_op op;
	bool is_call;
};

static const struct a64_class a64_classes[] = {
	/* hints with no effect on user code; others in the hint space
	 * (paciasp, autiasp, xpaclri...) use registers: displaced */
	{ 0xffffffff, 0xd503201f, INSN_SKIP, A64_NONE, false },  /* nop */
	{ 0xffffffff, 0xd503203f, INSN_SKIP, A64_NONE, false },  /* yield */
	{ 0xffffffff, 0xd50320df, INSN_SKIP, A64_NONE, false },  /* dgh */
	{ 0xffffff3f, 0xd503241f, INSN_SKIP, A64_NONE, false },  /* bti [c|j|jc] */

	{ 0x9f000000, 0x10000000, INSN_EMULATE, A64_ADR, false },
	{ 0x9f000000, 0x90000000, INSN_EMULATE, A64_ADRP, false },
	{ 0x7c000000, 0x14000000, INSN_EMULATE, A64_B, false },
	{ 0xff000000, 0x54000000, INSN_EMULATE, A64_BCOND, false },
	{ 0x7e000000, 0x34000000, INSN_EMULATE, A64_CB, false },
	{ 0x7e000000, 0x36000000, INSN_EMULATE, A64_TB, false },
	{ 0xbf000000, 0x18000000, INSN_EMULATE, A64_LDR_LIT, false },
	{ 0xff000000, 0x98000000, INSN_EMULATE, A64_LDRSW_LIT, false },
	{ 0xff000000, 0xd8000000, INSN_EMULATE, A64_PRFM_LIT, false },
	/* ldr (literal) to SIMD&FP registers: not emulated */
	{ 0x3f000000, 0x1c000000, INSN_UNSUPPORTED, A64_NONE, false },

	/* svc, hvc, smc, brk, hlt, dcps */
	{ 0xff000000, 0xd4000000, INSN_UNSUPPORTED, A64_NONE, false },
	/* udf */
	{ 0xffff0000, 0x00000000, INSN_UNSUPPORTED, A64_NONE, false },
	/* casp shares the exclusives' encoding space but is atomic */
	{ 0xbfa00000, 0x08200000, INSN_DISPLACE, A64_NONE, false },
	/* ld[a]xr, st[l]xr, ld[a]xp, st[l]xp: the single-step exception
	 * clears the exclusive monitor, so the store would always fail */
	{ 0x3f800000, 0x08000000, INSN_UNSUPPORTED, A64_NONE, false },
	/* blr, blraa, blrab, blraaz, blrabz: x30 gets slot + 4 */
	{ 0xfeff0000, 0xd63f0000, INSN_DISPLACE, A64_NONE, true },
};

static const struct a64_class *a64_class_of(uint32_t insn)
{
	for (size_t i = 0; i < sizeof a64_classes / sizeof a64_classes[0]; i++)
		if ((insn & a64_classes[i].mask) == a64_classes[i].value)
			return &a64_classes[i];
	return NULL;
}

static uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

int insn_plan_aarch64(const uint8_t *code, size_t avail, uint64_t orig,
		      struct insn_plan *plan)
{
	if (avail < 4 || (orig & 3) != 0)
		return -1;
	const struct a64_class *c = a64_class_of(get_le32(code));
	plan->len = 4;
	plan->kind = c ? c->kind : INSN_DISPLACE;
	plan->is_call = c && c->is_call;
	return 0;
}

int insn_relocate_aarch64(const struct insn_plan *plan, const uint8_t *code,
			  uint8_t *out)
{
	if (plan->len != 4)
		return -1;
	memcpy(out, code, 4);
	return 0;
}

/* ---- emulation ---- */

/* Bits [lsb, lsb + width) of INSN. */
static uint32_t bits(uint32_t insn, unsigned lsb, unsigned width)
{
	return (insn >> lsb) & ((1u << width) - 1);
}

/* V, a WIDTH-bit two's complement number, sign-extended. */
static int64_t sign_extend(uint64_t v, unsigned width)
{
	uint64_t sign = 1ull << (width - 1);
	return (int64_t)((v ^ sign) - sign);
}

/* Register N as a source: 31 is the zero register here. */
static uint64_t xreg(const struct insn_a64_regs *regs, unsigned n)
{
	return n == 31 ? 0 : regs->x[n];
}

static void set_xreg(struct insn_a64_regs *regs, unsigned n, uint64_t v)
{
	if (n != 31)
		regs->x[n] = v;
}

/* Condition COND (0-15) against the NZCV flags in PSTATE bits 31..28. */
static bool condition_holds(unsigned cond, uint64_t pstate)
{
	bool n = (pstate >> 31) & 1, z = (pstate >> 30) & 1;
	bool c = (pstate >> 29) & 1, v = (pstate >> 28) & 1;
	bool holds;

	switch (cond >> 1) {
	case 0: holds = z; break;               /* eq, ne */
	case 1: holds = c; break;               /* cs, cc */
	case 2: holds = n; break;               /* mi, pl */
	case 3: holds = v; break;               /* vs, vc */
	case 4: holds = c && !z; break;         /* hi, ls */
	case 5: holds = n == v; break;          /* ge, lt */
	case 6: holds = n == v && !z; break;    /* gt, le */
	default: return true;                   /* al, nv: always */
	}
	return (cond & 1) ? !holds : holds;
}

int insn_emulate_a64(uint32_t insn, struct insn_a64_regs *regs,
		     int (*load)(void *ctx, uint64_t addr, void *buf, size_t len),
		     void *ctx)
{
	const struct a64_class *c = a64_class_of(insn);
	uint64_t pc = regs->pc;
	unsigned rt = bits(insn, 0, 5);
	/* the branch offsets, in bytes */
	int64_t imm19 = sign_extend(bits(insn, 5, 19), 19) * 4;
	int64_t imm14 = sign_extend(bits(insn, 5, 14), 14) * 4;
	int64_t imm26 = sign_extend(bits(insn, 0, 26), 26) * 4;
	bool sf = bits(insn, 31, 1);      /* X rather than W register */
	bool negate = bits(insn, 24, 1);  /* cbnz, tbnz */
	uint64_t next = pc + 4;
	uint8_t buf[8];

	if (!c || c->kind != INSN_EMULATE)
		return -1;
	switch (c->op) {
	case A64_ADR:
	case A64_ADRP: {
		int64_t imm = sign_extend(bits(insn, 5, 19) << 2 |
					  bits(insn, 29, 2), 21);
		if (c->op == A64_ADR)
			set_xreg(regs, rt, pc + (uint64_t)imm);
		else
			set_xreg(regs, rt, (pc & ~0xfffull) +
				 ((uint64_t)imm << 12));
		break;
	}
	case A64_B:
		if (bits(insn, 31, 1))  /* bl */
			regs->x[30] = pc + 4;
		next = pc + (uint64_t)imm26;
		break;
	case A64_BCOND:
		if (condition_holds(bits(insn, 0, 4), regs->pstate))
			next = pc + (uint64_t)imm19;
		break;
	case A64_CB: {
		uint64_t v = xreg(regs, rt);
		if (!sf)
			v = (uint32_t)v;
		if ((v == 0) != negate)
			next = pc + (uint64_t)imm19;
		break;
	}
	case A64_TB: {
		unsigned bit = bits(insn, 31, 1) << 5 | bits(insn, 19, 5);
		bool set = (xreg(regs, rt) >> bit) & 1;
		if (set == negate)
			next = pc + (uint64_t)imm14;
		break;
	}
	case A64_LDR_LIT:
	case A64_LDRSW_LIT: {
		/* ldr w zero-extends, ldrsw sign-extends, ldr x: bit 30 */
		size_t size = bits(insn, 30, 1) ? 8 : 4;
		if (load(ctx, pc + (uint64_t)imm19, buf, size) != 0)
			return -1;
		uint64_t v = get_le32(buf);
		if (size == 8)
			v |= (uint64_t)get_le32(buf + 4) << 32;
		else if (c->op == A64_LDRSW_LIT)
			v = (uint64_t)sign_extend(v, 32);
		set_xreg(regs, rt, v);
		break;
	}
	case A64_PRFM_LIT:
		break;  /* a prefetch hint: nothing to do */
	case A64_NONE:
		return -1;
	}
	regs->pc = next;
	return 0;
}
