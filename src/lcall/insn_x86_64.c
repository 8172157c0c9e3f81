/* x86-64 instruction lengths, and how to run an instruction out of line.
 * 64-bit mode only, user-mode code: legacy prefixes, REX, the one-byte,
 * 0F, 0F 38 and 0F 3A opcode maps, VEX (C4, C5), EVEX (62) and AMD's XOP
 * (8F).
 * A wrong length would corrupt the tracee, so whatever is not understood
 * does not decode (-1) rather than being guessed.
 * tests/unit/test_insn_objdump.py checks the lengths against objdump. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "insn_arch.h"

#define MAX_LEN 15  /* longer instructions fault (#GP) */

/* What an opcode byte is, what follows it, how it may be displaced. */
enum {
	MR = 1 << 0,   /* a ModRM byte follows (then SIB, displacement) */
	IB = 1 << 1,   /* an 8-bit immediate */
	IW = 1 << 2,   /* a 16-bit immediate */
	IZ = 1 << 3,   /* 16-bit (66 prefix) or 32-bit immediate */
	IV = 1 << 4,   /* 16, 32 or 64-bit (REX.W) immediate: B8-BF */
	MO = 1 << 5,   /* 64-bit memory offset (32-bit with 67): A0-A3 */
	RB = 1 << 6,   /* 8-bit relative branch offset */
	RD = 1 << 7,   /* 32-bit relative branch offset (not with 66, see finish) */
	NS = 1 << 8,   /* decodes, but is not to be displaced */
	BR = 1 << 9,   /* near branch or return: 66 makes it vendor specific */
	CL = 1 << 10,  /* pushes a return address */
	XX = 1 << 11,  /* invalid in 64-bit mode, or not decoded here */
	PF = 1 << 12,  /* legacy prefix */
	RX = 1 << 13,  /* REX prefix */
	ES = 1 << 14,  /* escape to another map: 0F, C4/C5 (VEX), 62 (EVEX) */
	RR = 1 << 15,  /* a ModRM byte always read as registers (mod ignored) */
	ID = 1 << 16,  /* a 32-bit immediate */
};

/* The one-byte map. */
static const uint32_t map_1b[256] = {
	/* 00 */ MR, MR, MR, MR, IB, IZ, XX, XX,
	/* 08 */ MR, MR, MR, MR, IB, IZ, XX, ES,
	/* 10 */ MR, MR, MR, MR, IB, IZ, XX, XX,
	/* 18 */ MR, MR, MR, MR, IB, IZ, XX, XX,
	/* 20 */ MR, MR, MR, MR, IB, IZ, PF, XX,
	/* 28 */ MR, MR, MR, MR, IB, IZ, PF, XX,
	/* 30 */ MR, MR, MR, MR, IB, IZ, PF, XX,
	/* 38 */ MR, MR, MR, MR, IB, IZ, PF, XX,
	/* 40 */ RX, RX, RX, RX, RX, RX, RX, RX,
	/* 48 */ RX, RX, RX, RX, RX, RX, RX, RX,
	/* 50 */ 0, 0, 0, 0, 0, 0, 0, 0,
	/* 58 */ 0, 0, 0, 0, 0, 0, 0, 0,
	/* 60 */ XX, XX, ES, MR, PF, PF, PF, PF,
	/* 68 */ IZ, MR | IZ, IB, MR | IB, 0, 0, 0, 0,
	/* 70 */ RB | BR, RB | BR, RB | BR, RB | BR, RB | BR, RB | BR, RB | BR, RB | BR,
	/* 78 */ RB | BR, RB | BR, RB | BR, RB | BR, RB | BR, RB | BR, RB | BR, RB | BR,
	/* 80 */ MR | IB, MR | IZ, XX, MR | IB, MR, MR, MR, MR,
	/* 88 */ MR, MR, MR, MR, MR, MR, MR, MR,
	/* 90 */ 0, 0, 0, 0, 0, 0, 0, 0,
	/* 98 */ 0, 0, XX, 0, 0, 0, 0, 0,
	/* A0 */ MO, MO, MO, MO, 0, 0, 0, 0,
	/* A8 */ IB, IZ, 0, 0, 0, 0, 0, 0,
	/* B0 */ IB, IB, IB, IB, IB, IB, IB, IB,
	/* B8 */ IV, IV, IV, IV, IV, IV, IV, IV,
	/* C0 */ MR | IB, MR | IB, IW | BR, BR, ES, ES, MR | IB, MR | IZ,
	/* C8: enter, leave, far returns, int3, int, into, iret */
	/* C8 */ IW | IB, 0, IW | NS, NS, NS, IB | NS, XX, NS,
	/* D0 */ MR, MR, MR, MR, XX, XX, XX, 0,
	/* D8 */ MR, MR, MR, MR, MR, MR, MR, MR,
	/* E0: loopne, loope, loop, jrcxz, in, out */
	/* E0 */ RB | BR, RB | BR, RB | BR, RB | BR, IB, IB, IB, IB,
	/* E8 */ RD | BR | CL, RD | BR, XX, RB | BR, 0, 0, 0, 0,
	/* F0: lock, int1, repne, rep, hlt, cmc, group 3 */
	/* F0 */ PF, NS, PF, PF, NS, 0, MR, MR,
	/* F8 */ 0, 0, 0, 0, 0, 0, MR, MR,
};

/* The 0F map. 0F 38 and 0F 3A are escapes to the maps below. */
static const uint32_t map_0f[256] = {
	/* 00: groups 6 and 7, lar, lsl, -, syscall, clts, sysret */
	/* 00 */ MR, MR, MR, MR, XX, NS, NS, NS,
	/* 08: invd, wbinvd, -, ud2, -, prefetch, femms, 3DNow! (whose
	 * imm8 is the opcode; neither is in current CPUs) */
	/* 08 */ NS, NS, XX, NS, XX, MR, NS, MR | IB | NS,
	/* 10 */ MR, MR, MR, MR, MR, MR, MR, MR,
	/* 18 */ MR, MR, MR, MR, MR, MR, MR, MR,
	/* 20: mov to and from control and debug registers */
	/* 20 */ RR | NS, RR | NS, RR | NS, RR | NS, XX, XX, XX, XX,
	/* 28 */ MR, MR, MR, MR, MR, MR, MR, MR,
	/* 30: wrmsr, rdtsc, rdmsr, rdpmc, sysenter, sysexit, -, getsec */
	/* 30 */ NS, 0, NS, 0, NS, NS, XX, NS,
	/* 38 */ ES, XX, ES, XX, XX, XX, XX, XX,
	/* 40 */ MR, MR, MR, MR, MR, MR, MR, MR,
	/* 48 */ MR, MR, MR, MR, MR, MR, MR, MR,
	/* 50 */ MR, MR, MR, MR, MR, MR, MR, MR,
	/* 58 */ MR, MR, MR, MR, MR, MR, MR, MR,
	/* 60 */ MR, MR, MR, MR, MR, MR, MR, MR,
	/* 68 */ MR, MR, MR, MR, MR, MR, MR, MR,
	/* 70 */ MR | IB, MR | IB, MR | IB, MR | IB, MR, MR, MR, 0,
	/* 78: vmread, vmwrite (with 66 or F2: AMD's extrq, insertq) */
	/* 78 */ MR | NS, MR | NS, XX, XX, MR, MR, MR, MR,
	/* 80 */ RD | BR, RD | BR, RD | BR, RD | BR, RD | BR, RD | BR, RD | BR, RD | BR,
	/* 88 */ RD | BR, RD | BR, RD | BR, RD | BR, RD | BR, RD | BR, RD | BR, RD | BR,
	/* 90 */ MR, MR, MR, MR, MR, MR, MR, MR,
	/* 98 */ MR, MR, MR, MR, MR, MR, MR, MR,
	/* A0: push fs, pop fs, cpuid, bt, shld, shld */
	/* A0 */ 0, 0, 0, MR, MR | IB, MR, XX, XX,
	/* A8: push gs, pop gs, rsm, bts, shrd, shrd, group 15, imul */
	/* A8 */ 0, 0, NS, MR, MR | IB, MR, MR, MR,
	/* B0 */ MR, MR, MR, MR, MR, MR, MR, MR,
	/* B8: popcnt (F3 only), ud1, group 8, btc, bsf, bsr, movsx */
	/* B8 */ MR, MR | NS, MR | IB, MR, MR, MR, MR, MR,
	/* C0 */ MR, MR, MR | IB, MR, MR | IB, MR | IB, MR | IB, MR,
	/* C8 */ 0, 0, 0, 0, 0, 0, 0, 0,
	/* D0 */ MR, MR, MR, MR, MR, MR, MR, MR,
	/* D8 */ MR, MR, MR, MR, MR, MR, MR, MR,
	/* E0 */ MR, MR, MR, MR, MR, MR, MR, MR,
	/* E8 */ MR, MR, MR, MR, MR, MR, MR, MR,
	/* F0 */ MR, MR, MR, MR, MR, MR, MR, MR,
	/* F8: ..., ud0 */
	/* F8 */ MR, MR, MR, MR, MR, MR, MR, MR | NS,
};

/* The defined opcodes of the 0F 38 map (each with a ModRM byte, no
 * immediate) and of the 0F 3A map (ModRM and an 8-bit immediate). */
struct op_range {
	uint8_t first, last;
};

static const struct op_range map_0f38[] = {
	{ 0x00, 0x0b },  /* pshufb ... pmulhrsw */
	{ 0x10, 0x10 },  /* pblendvb */
	{ 0x14, 0x15 },  /* blendvps, blendvpd */
	{ 0x17, 0x17 },  /* ptest */
	{ 0x1c, 0x1e },  /* pabsb, pabsw, pabsd */
	{ 0x20, 0x25 },  /* pmovsx */
	{ 0x28, 0x2b },  /* pmuldq, pcmpeqq, movntdqa, packusdw */
	{ 0x30, 0x35 },  /* pmovzx */
	{ 0x37, 0x41 },  /* pcmpgtq, pmin, pmax, pmulld, phminposuw */
	{ 0x80, 0x82 },  /* invept, invvpid, invpcid */
	{ 0xc8, 0xcd },  /* sha1, sha256 */
	{ 0xcf, 0xcf },  /* gf2p8mulb */
	{ 0xd8, 0xdf },  /* aes (and Key Locker) */
	{ 0xf0, 0xf6 },  /* movbe, crc32, wrss, adcx, adox */
	{ 0xf8, 0xfc },  /* movdir64b, enqcmd, movdiri, encodekey, rao-int */
};

static const struct op_range map_0f3a[] = {
	{ 0x08, 0x0f },  /* round, blend, palignr */
	{ 0x14, 0x17 },  /* pextr, extractps */
	{ 0x20, 0x22 },  /* pinsr, insertps */
	{ 0x40, 0x42 },  /* dpps, dppd, mpsadbw */
	{ 0x44, 0x44 },  /* pclmulqdq */
	{ 0x60, 0x63 },  /* pcmpestr, pcmpistr */
	{ 0xcc, 0xcc },  /* sha1rnds4 */
	{ 0xce, 0xcf },  /* gf2p8affine */
	{ 0xdf, 0xdf },  /* aeskeygenassist */
	{ 0xf0, 0xf0 },  /* hreset */
};

/* VEX and EVEX opcodes of the 0F map that take an 8-bit immediate (in the
 * 0F 3A map they all do, in the others none does). */
static const uint8_t vex_0f_imm8[] = {
	0x70, 0x71, 0x72, 0x73, 0xc2, 0xc4, 0xc5, 0xc6,
};

/* One-byte opcodes whose ModRM reg field selects the instruction: flags
 * added per reg value. */
struct group {
	uint8_t op;
	uint32_t reg[8];
};

static const struct group groups[] = {
	/* pop r/m (other reg values are XOP, see decode) */
	{ 0x8f, { 0, XX, XX, XX, XX, XX, XX, XX } },
	/* mov r/m, imm; /7 is xabort (C6 F8) and xbegin (C7 F8, a branch) */
	{ 0xc6, { 0, XX, XX, XX, XX, XX, XX, NS } },
	{ 0xc7, { 0, XX, XX, XX, XX, XX, XX, NS } },
	/* test r/m, imm (/0 and its alias /1); not, neg, mul, imul, div, idiv */
	{ 0xf6, { IB, IB, 0, 0, 0, 0, 0, 0 } },
	{ 0xf7, { IZ, IZ, 0, 0, 0, 0, 0, 0 } },
	/* inc, dec */
	{ 0xfe, { 0, 0, XX, XX, XX, XX, XX, XX } },
	/* inc, dec, call, call far, jmp, jmp far, push */
	{ 0xff, { 0, 0, CL | BR, NS, BR, NS, 0, XX } },
};

/* Reading the instruction's bytes, at most MAX_LEN of them. */
struct reader {
	const uint8_t *code;
	size_t end;
	size_t pos;
};

static bool take(struct reader *r, uint8_t *byte)
{
	if (r->pos >= r->end)
		return false;
	*byte = r->code[r->pos++];
	return true;
}

static bool skip(struct reader *r, size_t n)
{
	if (r->end - r->pos < n)
		return false;
	r->pos += n;
	return true;
}

/* A decoded instruction. */
struct x86_insn {
	uint32_t flags;
	int disp_offset;  /* of a rip-relative disp32, or -1 */
	bool opsize;      /* 66 prefix */
	bool addrsize;    /* 67 prefix */
	bool rep;         /* F3 prefix */
	bool repne;       /* F2 prefix */
	bool rex_w;
	unsigned len;
};

static bool in_ranges(const struct op_range *ranges, size_t n, uint8_t op)
{
	for (size_t i = 0; i < n; i++)
		if (op >= ranges[i].first && op <= ranges[i].last)
			return true;
	return false;
}

static const struct group *find_group(uint8_t op)
{
	for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++)
		if (groups[i].op == op)
			return &groups[i];
	return NULL;
}

/* The SIB byte and displacement that ModRM announces. Neither REX.B nor
 * the 67 prefix changes them in 64-bit mode. */
static bool skip_address(struct reader *r, uint8_t modrm, struct x86_insn *d)
{
	unsigned mod = modrm >> 6, rm = modrm & 7;

	if (mod == 3)
		return true;
	if (rm == 4) {
		uint8_t sib;
		if (!take(r, &sib))
			return false;
		if (mod == 0 && (sib & 7) == 5)  /* no base: disp32 */
			return skip(r, 4);
	} else if (mod == 0 && rm == 5) {
		d->disp_offset = (int)r->pos;   /* rip-relative disp32 */
		return skip(r, 4);
	}
	if (mod == 1)
		return skip(r, 1);
	if (mod == 2)
		return skip(r, 4);
	return true;
}

static size_t immediate_size(uint32_t flags, const struct x86_insn *d)
{
	size_t n = 0;

	if (flags & IB)
		n += 1;
	if (flags & IW)
		n += 2;
	if (flags & IZ)
		n += d->opsize && !d->rex_w ? 2 : 4;
	if (flags & IV)
		n += d->rex_w ? 8 : d->opsize ? 2 : 4;
	if (flags & MO)
		n += d->addrsize ? 4 : 8;
	if (flags & RB)
		n += 1;
	if (flags & RD)
		n += 4;
	if (flags & ID)
		n += 4;
	return n;
}

/* The rest of an instruction whose opcode was read: ModRM and what it
 * announces, then the immediates. GROUP: the opcode's group, or NULL. */
static int finish(struct reader *r, struct x86_insn *d, uint32_t flags,
		  const struct group *group)
{
	if (flags & RR) {
		if (!skip(r, 1))
			return -1;
	}
	if (flags & MR) {
		uint8_t modrm;
		if (!take(r, &modrm))
			return -1;
		unsigned reg = (modrm >> 3) & 7;
		if (group) {
			flags |= group->reg[reg];
			/* xabort and xbegin have this one ModRM byte */
			if ((group->op == 0xc6 || group->op == 0xc7) &&
			    reg == 7 && modrm != 0xf8)
				flags |= XX;
		}
		if (!skip_address(r, modrm, d))
			return -1;
	}
	if (flags & XX)
		return -1;
	/* with 66, call, jmp and jcc rel32 take a rel16 on AMD, a rel32 on
	 * Intel (the prefix ignored): no one length */
	if ((flags & RD) && d->opsize)
		return -1;
	if (!skip(r, immediate_size(flags, d)))
		return -1;
	d->flags = flags;
	d->len = (unsigned)r->pos;
	return 0;
}

static int decode_0f(struct reader *r, struct x86_insn *d)
{
	uint8_t op, op2;

	if (!take(r, &op))
		return -1;
	if (op == 0x38 || op == 0x3a) {
		if (!take(r, &op2))
			return -1;
		if (op == 0x38)
			return finish(r, d, in_ranges(map_0f38,
				sizeof map_0f38 / sizeof map_0f38[0], op2) ?
				MR : XX, NULL);
		return finish(r, d, in_ranges(map_0f3a,
			sizeof map_0f3a / sizeof map_0f3a[0], op2) ?
			MR | IB : XX, NULL);
	}
	/* 0F B8 without F3 is jmpe (Itanium), not popcnt */
	if (op == 0xb8 && !d->rep)
		return -1;
	/* extrq and insertq, not decoded */
	if ((op == 0x78 || op == 0x79) && (d->opsize || d->repne))
		return -1;
	return finish(r, d, map_0f[op], NULL);
}

/* VEX (C5: 2-byte, C4: 3-byte), EVEX (62) and XOP (8F) prefixes, then an
 * opcode of the map they name and always a ModRM byte (but vzeroupper and
 * vzeroall). */
static int decode_vex(struct reader *r, uint8_t esc, struct x86_insn *d)
{
	uint8_t p0, p1, p2, op;
	unsigned map;

	if (!take(r, &p0))
		return -1;
	if (esc == 0xc5) {
		map = 1;
	} else if (esc == 0xc4) {
		if (!take(r, &p1))
			return -1;
		map = p0 & 0x1f;
		if (map < 1 || map > 3)
			return -1;
	} else if (esc == 0x8f) {
		if (!take(r, &p1))
			return -1;
		map = p0 & 0x1f;
		if (map < 8 || map > 10)
			return -1;
	} else {
		if (!take(r, &p1) || !take(r, &p2))
			return -1;
		/* P0 bit 3 must be 0 and P1 bit 2 must be 1 (bit 3 set is
		 * APX's extended EVEX, not decoded here); maps 4 and 7 are
		 * APX's too */
		if ((p0 & 0x08) || !(p1 & 0x04))
			return -1;
		map = p0 & 0x07;
		if (map != 1 && map != 2 && map != 3 && map != 5 && map != 6)
			return -1;
	}
	if (!take(r, &op))
		return -1;

	uint32_t flags = MR;
	if (esc != 0x62 && map == 1 && op == 0x77)
		flags = 0;  /* vzeroupper, vzeroall */
	if (map == 3 || map == 8)
		flags |= IB;
	if (map == 10)
		flags |= ID;  /* bextr, lwpins, lwpval */
	if (map == 1 && memchr(vex_0f_imm8, op, sizeof vex_0f_imm8))
		flags |= IB;
	return finish(r, d, flags, NULL);
}

static int decode(const uint8_t *code, size_t avail, struct x86_insn *d)
{
	struct reader r = { code, avail < MAX_LEN ? avail : MAX_LEN, 0 };
	uint8_t b;
	bool rex = false;
	bool vex_ok = true;  /* no REX, 66, F2, F3 or F0 before VEX/EVEX */

	memset(d, 0, sizeof *d);
	d->disp_offset = -1;
	for (;;) {
		if (!take(&r, &b))
			return -1;
		uint32_t flags = map_1b[b];
		if (flags & PF) {
			/* a REX prefix counts only right before the opcode */
			rex = false;
			d->rex_w = false;
			if (b == 0x66)
				d->opsize = true;
			if (b == 0x67)
				d->addrsize = true;
			if (b == 0xf3)
				d->rep = true;
			if (b == 0xf2)
				d->repne = true;
			if (b == 0x66 || b == 0xf0 || b == 0xf2 || b == 0xf3)
				vex_ok = false;
			continue;
		}
		if (flags & RX) {
			rex = true;
			d->rex_w = (b & 0x08) != 0;
			continue;
		}
		break;
	}
	if (b == 0x0f)
		return decode_0f(&r, d);
	/* 8F is pop r/m, whose ModRM has reg 0, or else XOP whose map
	 * number (low 5 bits of the next byte) is at least 8 */
	bool xop = b == 0x8f && r.pos < r.end && (code[r.pos] & 0x1f) >= 8;
	if (b == 0xc4 || b == 0xc5 || b == 0x62 || xop) {
		if (rex || !vex_ok)
			return -1;
		return decode_vex(&r, b, d);
	}
	return finish(&r, d, map_1b[b], find_group(b));
}

static const uint8_t endbr64[4] = { 0xf3, 0x0f, 0x1e, 0xfa };

int insn_plan_x86_64(const uint8_t *code, size_t avail, struct insn_plan *plan)
{
	struct x86_insn d;

	if (decode(code, avail, &d) < 0)
		return -1;
	plan->len = d.len;
	if (d.len == sizeof endbr64 && memcmp(code, endbr64, d.len) == 0) {
		plan->kind = INSN_SKIP;
		return 0;
	}
	if (d.flags & NS)
		return 0;
	/* addr32 makes a rip-relative address eip-relative: truncated */
	if (d.disp_offset >= 0 && d.addrsize)
		return 0;
	/* Intel ignores 66 on near branches in 64-bit mode, AMD truncates
	 * the target (or return address) to 16 bits */
	if ((d.flags & BR) && d.opsize)
		return 0;
	plan->kind = INSN_DISPLACE;
	plan->relative_branch = (d.flags & (RB | RD)) != 0;
	plan->is_call = (d.flags & CL) != 0;
	plan->pc_relative = d.disp_offset >= 0;
	plan->disp_offset = plan->pc_relative ? d.disp_offset : 0;
	return 0;
}

static int32_t get_le32(const uint8_t *p)
{
	return (int32_t)((uint32_t)p[0] | (uint32_t)p[1] << 8 |
			 (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
}

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* Relative branches (call, jmp, jcc, loop, jrcxz) are copied unchanged:
 * from the slot, the branch goes to slot + len + rel or falls through to
 * slot + len; the caller translates the PC after the step by
 * (orig - slot), which gives orig + len + rel or orig + len, the original
 * outcomes, whether the branch was taken or not. Only a rip-relative
 * memory operand, used during the step itself, is re-aimed so that
 * slot + len + new == orig + len + old. */
int insn_relocate_x86_64(const struct insn_plan *plan, const uint8_t *code,
			 uint64_t orig, uint64_t slot, uint8_t *out)
{
	if (plan->len == 0 || plan->len > MAX_LEN)
		return -1;
	memcpy(out, code, plan->len);
	if (!plan->pc_relative)
		return 0;
	if (plan->disp_offset <= 0 || (unsigned)plan->disp_offset + 4 > plan->len)
		return -1;

	uint64_t target = orig + plan->len +
			  (uint64_t)(int64_t)get_le32(code + plan->disp_offset);
	int64_t disp = (int64_t)(target - (slot + plan->len));
	if (disp < INT32_MIN || disp > INT32_MAX)
		return -1;
	put_le32(out + plan->disp_offset, (uint32_t)disp);
	return 0;
}
