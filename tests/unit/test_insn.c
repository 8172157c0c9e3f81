/* Instructions under a breakpoint (src/lcall/insn*.c): x86-64 lengths and
 * kinds of hand-assembled instructions, rip-relative relocation, aarch64
 * kinds and the emulation of its PC-relative instructions.
 * tests/unit/test_insn_objdump.py checks x86-64 lengths at scale. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "ptrc/lcall.h"

/* ---- x86-64 ---- */

enum {
	REL = 1,    /* relative_branch */
	CALL = 2,   /* is_call */
	PCREL = 4,  /* pc_relative */
};

#define FAIL (-1)  /* insn_plan returns -1 */

struct x86_case {
	const char *hex;    /* the instruction's bytes */
	int len;            /* expected length, or FAIL */
	enum insn_kind kind;
	int flags;
	int disp_offset;
	const char *what;
};

static const struct x86_case x86_cases[] = {
	/* function entries */
	{ "41 54", 2, INSN_DISPLACE, 0, 0, "push %r12" },
	{ "55", 1, INSN_DISPLACE, 0, 0, "push %rbp" },
	{ "48 89 e5", 3, INSN_DISPLACE, 0, 0, "mov %rsp,%rbp" },
	{ "48 83 ec 18", 4, INSN_DISPLACE, 0, 0, "sub $0x18,%rsp" },
	{ "64 48 8b 04 25 28 00 00 00", 9, INSN_DISPLACE, 0, 0,
	  "mov %fs:0x28,%rax" },
	{ "48 85 ff", 3, INSN_DISPLACE, 0, 0, "test %rdi,%rdi" },
	{ "48 8d 05 10 00 00 00", 7, INSN_DISPLACE, PCREL, 3,
	  "lea 0x10(%rip),%rax" },
	{ "48 8b 05 2f 00 00 00", 7, INSN_DISPLACE, PCREL, 3,
	  "mov 0x2f(%rip),%rax" },
	{ "48 c7 c0 01 00 00 00", 7, INSN_DISPLACE, 0, 0, "mov $1,%rax" },
	{ "48 8b 44 24 08", 5, INSN_DISPLACE, 0, 0, "mov 0x8(%rsp),%rax" },
	{ "41 8b 45 00", 4, INSN_DISPLACE, 0, 0, "mov 0x0(%r13),%eax" },
	{ "42 8b 04 2d 00 00 00 00", 8, INSN_DISPLACE, 0, 0,
	  "mov 0x0(,%r13,1),%eax (SIB without base)" },
	{ "f0 48 0f b1 0f", 5, INSN_DISPLACE, 0, 0, "lock cmpxchg %rcx,(%rdi)" },
	{ "f3 0f 1e fa", 4, INSN_SKIP, 0, 0, "endbr64" },
	/* relative branches */
	{ "e8 00 01 00 00", 5, INSN_DISPLACE, REL | CALL, 0, "call rel32" },
	{ "e9 00 01 00 00", 5, INSN_DISPLACE, REL, 0, "jmp rel32" },
	{ "eb 10", 2, INSN_DISPLACE, REL, 0, "jmp rel8" },
	{ "75 f0", 2, INSN_DISPLACE, REL, 0, "jne rel8" },
	{ "0f 84 00 01 00 00", 6, INSN_DISPLACE, REL, 0, "je rel32" },
	{ "e3 05", 2, INSN_DISPLACE, REL, 0, "jrcxz" },
	{ "e2 fe", 2, INSN_DISPLACE, REL, 0, "loop" },
	{ "f2 e9 00 01 00 00", 6, INSN_DISPLACE, REL, 0, "bnd jmp rel32" },
	/* other branches: absolute targets */
	{ "c3", 1, INSN_DISPLACE, 0, 0, "ret" },
	{ "f3 c3", 2, INSN_DISPLACE, 0, 0, "repz ret" },
	{ "c2 08 00", 3, INSN_DISPLACE, 0, 0, "ret $8" },
	{ "ff d0", 2, INSN_DISPLACE, CALL, 0, "call *%rax" },
	{ "ff 15 10 00 00 00", 6, INSN_DISPLACE, CALL | PCREL, 2,
	  "call *0x10(%rip)" },
	{ "ff 25 10 00 00 00", 6, INSN_DISPLACE, PCREL, 2, "jmp *0x10(%rip)" },
	{ "ff e0", 2, INSN_DISPLACE, 0, 0, "jmp *%rax" },
	{ "3e ff e0", 3, INSN_DISPLACE, 0, 0, "notrack jmp *%rax" },
	/* immediates */
	{ "48 b8 88 77 66 55 44 33 22 11", 10, INSN_DISPLACE, 0, 0, "movabs" },
	{ "b8 01 00 00 00", 5, INSN_DISPLACE, 0, 0, "mov $1,%eax" },
	{ "66 b8 01 00", 4, INSN_DISPLACE, 0, 0, "mov $1,%ax" },
	{ "f6 c1 01", 3, INSN_DISPLACE, 0, 0, "test $1,%cl" },
	{ "f6 d1", 2, INSN_DISPLACE, 0, 0, "not %cl" },
	{ "f7 c1 01 00 00 00", 6, INSN_DISPLACE, 0, 0, "test $1,%ecx" },
	{ "66 f7 c1 01 00", 5, INSN_DISPLACE, 0, 0, "test $1,%cx" },
	{ "48 f7 c1 01 00 00 00", 7, INSN_DISPLACE, 0, 0, "test $1,%rcx" },
	{ "f7 d9", 2, INSN_DISPLACE, 0, 0, "neg %ecx" },
	{ "a1 88 77 66 55 44 33 22 11", 9, INSN_DISPLACE, 0, 0, "movabs moffs,%eax" },
	{ "67 a1 44 33 22 11", 6, INSN_DISPLACE, 0, 0, "addr32 mov moffs,%eax" },
	{ "c8 10 00 00", 4, INSN_DISPLACE, 0, 0, "enter $0x10,$0" },
	{ "68 78 56 34 12", 5, INSN_DISPLACE, 0, 0, "push $imm32" },
	{ "66 68 34 12", 4, INSN_DISPLACE, 0, 0, "pushw $imm16" },
	{ "0f ba e0 03", 4, INSN_DISPLACE, 0, 0, "bt $3,%eax" },
	/* 0F maps */
	{ "0f 1f 44 00 00", 5, INSN_DISPLACE, 0, 0, "nopl 0x0(%rax,%rax,1)" },
	{ "66 2e 0f 1f 84 00 00 00 00 00", 10, INSN_DISPLACE, 0, 0, "cs nopw" },
	{ "0f 38 00 c1", 4, INSN_DISPLACE, 0, 0, "pshufb %mm1,%mm0" },
	{ "66 0f 3a 0f c1 08", 6, INSN_DISPLACE, 0, 0, "palignr $8" },
	{ "f3 0f b8 c1", 4, INSN_DISPLACE, 0, 0, "popcnt %ecx,%eax" },
	{ "0f 20 00", 3, INSN_UNSUPPORTED, 0, 0, "mov %cr0,%rax (mod ignored)" },
	/* VEX, EVEX, XOP */
	{ "c5 fe 6f 06", 4, INSN_DISPLACE, 0, 0, "vmovdqu (%rsi),%ymm0" },
	{ "c5 fe 6f 05 00 10 00 00", 8, INSN_DISPLACE, PCREL, 4,
	  "vmovdqu 0x1000(%rip),%ymm0" },
	{ "c4 e2 7d 00 c1", 5, INSN_DISPLACE, 0, 0, "vpshufb (VEX3)" },
	{ "c4 e3 7d 39 c1 01", 6, INSN_DISPLACE, 0, 0, "vextracti128 $1" },
	{ "c5 f9 70 c1 1b", 5, INSN_DISPLACE, 0, 0, "vpshufd $0x1b" },
	{ "c5 f8 77", 3, INSN_DISPLACE, 0, 0, "vzeroupper" },
	{ "62 f1 fe 48 6f 06", 6, INSN_DISPLACE, 0, 0, "vmovdqu64 (%rsi),%zmm0" },
	{ "62 f1 fe 48 6f 46 01", 7, INSN_DISPLACE, 0, 0,
	  "vmovdqu64 0x40(%rsi),%zmm0 (disp8*N)" },
	{ "62 f1 fe 48 6f 05 00 01 00 00", 10, INSN_DISPLACE, PCREL, 6,
	  "vmovdqu64 0x100(%rip),%zmm0" },
	{ "62 f3 7d 48 39 c1 01", 7, INSN_DISPLACE, 0, 0, "vextracti32x4 $1" },
	{ "8f e8 78 c2 ec 0e", 6, INSN_DISPLACE, 0, 0, "vprotd $0xe (XOP)" },
	{ "8f c0", 2, INSN_DISPLACE, 0, 0, "pop %rax (8F /0)" },
	/* decoded, not displaced */
	{ "0f 05", 2, INSN_UNSUPPORTED, 0, 0, "syscall" },
	{ "cc", 1, INSN_UNSUPPORTED, 0, 0, "int3" },
	{ "cd 80", 2, INSN_UNSUPPORTED, 0, 0, "int $0x80" },
	{ "0f 0b", 2, INSN_UNSUPPORTED, 0, 0, "ud2" },
	{ "f4", 1, INSN_UNSUPPORTED, 0, 0, "hlt" },
	{ "ff 1a", 2, INSN_UNSUPPORTED, 0, 0, "lcall *(%rdx)" },
	{ "c7 f8 00 01 00 00", 6, INSN_UNSUPPORTED, 0, 0, "xbegin" },
	{ "66 eb 10", 3, INSN_UNSUPPORTED, 0, 0, "jmpw rel8 (vendor specific)" },
	{ "66 c3", 2, INSN_UNSUPPORTED, 0, 0, "retw (vendor specific)" },
	{ "67 8b 05 10 00 00 00", 7, INSN_UNSUPPORTED, 0, 0,
	  "mov 0x10(%eip),%eax (eip-relative)" },
	/* not decoded */
	{ "66 e8 00 01 00 00", FAIL, 0, 0, 0, "callw: rel16 on AMD, rel32 on Intel" },
	{ "06", FAIL, 0, 0, 0, "push %es: invalid in 64-bit mode" },
	{ "d5 00", FAIL, 0, 0, 0, "aad / REX2" },
	{ "66 c5 fe 6f 06", FAIL, 0, 0, 0, "66 before VEX" },
	{ "48 c5 fe 6f 06", FAIL, 0, 0, 0, "REX before VEX" },
	{ "c7 c8 00 00 00 00", FAIL, 0, 0, 0, "c7 /1" },
	{ "ff f8", FAIL, 0, 0, 0, "ff /7" },
	{ "0f 38 50 c1", FAIL, 0, 0, 0, "undefined 0f 38 opcode" },
	{ "0f b8 00 00 00 00", FAIL, 0, 0, 0, "jmpe" },
	{ "e8 00 01", FAIL, 0, 0, 0, "truncated call" },
	{ "48", FAIL, 0, 0, 0, "lone REX" },
	{ "", FAIL, 0, 0, 0, "no bytes" },
	/* 15 bytes at most */
	{ "66 66 66 66 66 66 66 66 66 66 66 66 66 66 90", 15, INSN_DISPLACE, 0, 0,
	  "15 bytes" },
	{ "66 66 66 66 66 66 66 66 66 66 66 66 66 66 66 90", FAIL, 0, 0, 0,
	  "16 bytes" },
};

static size_t parse_hex(const char *hex, uint8_t *out, size_t max)
{
	size_t n = 0;
	unsigned byte;
	int used;

	while (n < max && sscanf(hex, " %2x%n", &byte, &used) == 1) {
		out[n++] = (uint8_t)byte;
		hex += used;
	}
	return n;
}

static void check_x86_case(const struct x86_case *c, const uint8_t *code,
			   size_t avail)
{
	struct insn_plan plan;
	int ret = insn_plan(PTRC_ARCH_X86_64, code, avail, 0x401000, &plan);
	bool ok;

	if (c->len == FAIL)
		ok = ret == -1;
	else
		ok = ret == 0 && plan.len == (unsigned)c->len &&
		     plan.kind == c->kind &&
		     plan.relative_branch == ((c->flags & REL) != 0) &&
		     plan.is_call == ((c->flags & CALL) != 0) &&
		     plan.pc_relative == ((c->flags & PCREL) != 0) &&
		     (!plan.pc_relative || plan.disp_offset == c->disp_offset);
	CHECK(ok);
	if (!ok)
		fprintf(stderr, "  %s [%s] (%zu bytes available): ret %d len %u "
			"kind %d rel %d call %d pcrel %d disp_offset %d\n",
			c->what, c->hex, avail, ret, plan.len, plan.kind,
			plan.relative_branch, plan.is_call, plan.pc_relative,
			plan.disp_offset);
}

static void test_x86_plans(void)
{
	for (size_t i = 0; i < sizeof x86_cases / sizeof x86_cases[0]; i++) {
		const struct x86_case *c = &x86_cases[i];
		uint8_t code[32];
		size_t n = parse_hex(c->hex, code, sizeof code);

		/* exactly the bytes, then followed by nops (which would
		 * complete the truncated ones) */
		check_x86_case(c, code, n);
		memset(code + n, 0x90, 16);
		if (c->len != FAIL)
			check_x86_case(c, code, n + 16);
	}
}

/* Relocate the instruction HEX from ORIG to SLOT; compare with WANT (NULL:
 * relocation fails). */
static void check_relocation(const char *hex, uint64_t orig, uint64_t slot,
			     const char *want)
{
	uint8_t code[16], out[16], expected[16];
	size_t n = parse_hex(hex, code, sizeof code);
	struct insn_plan plan;

	CHECK(insn_plan(PTRC_ARCH_X86_64, code, n, orig, &plan) == 0);
	int ret = insn_relocate(PTRC_ARCH_X86_64, &plan, code, orig, slot, out);
	if (!want) {
		CHECK(ret == -1);
		return;
	}
	CHECK(ret == 0);
	CHECK(parse_hex(want, expected, sizeof expected) == plan.len);
	CHECK(memcmp(out, expected, plan.len) == 0);
	if (ret == 0 && plan.pc_relative) {
		/* both reach the same address */
		int32_t old_disp, new_disp;
		memcpy(&old_disp, code + plan.disp_offset, 4);
		memcpy(&new_disp, out + plan.disp_offset, 4);
		CHECK(orig + plan.len + (uint64_t)(int64_t)old_disp ==
		      slot + plan.len + (uint64_t)(int64_t)new_disp);
	}
}

static void test_x86_relocation(void)
{
	const uint64_t orig = 0x7f0000001000;

	/* slot below: disp grows by the distance */
	check_relocation("48 8d 05 10 00 00 00", orig, orig - 0x100000,
			 "48 8d 05 10 00 10 00");
	/* slot above: disp becomes negative */
	check_relocation("48 8d 05 10 00 00 00", orig, orig + 0x2000,
			 "48 8d 05 10 e0 ff ff");
	check_relocation("48 8b 05 f0 ff ff ff", orig, orig + 0x1000,
			 "48 8b 05 f0 ef ff ff");
	/* the limits of a disp32 */
	check_relocation("48 8d 05 10 00 00 00", orig, orig - 0x7fffffef,
			 "48 8d 05 ff ff ff 7f");
	check_relocation("48 8d 05 10 00 00 00", orig, orig - 0x7ffffff0, NULL);
	check_relocation("48 8d 05 00 00 00 80", orig, orig + 0x10, NULL);
	/* with an immediate after the disp32 (still relative to the end) */
	check_relocation("c7 05 10 00 00 00 01 00 00 00", orig, orig - 0x1000,
			 "c7 05 10 10 00 00 01 00 00 00");
	/* EVEX, VEX, indirect call through memory */
	check_relocation("62 f1 fe 48 6f 05 00 01 00 00", orig, orig + 0x100,
			 "62 f1 fe 48 6f 05 00 00 00 00");
	check_relocation("c5 fe 6f 05 00 10 00 00", orig, orig - 0x10,
			 "c5 fe 6f 05 10 10 00 00");
	check_relocation("ff 15 10 00 00 00", orig, orig + 0x20,
			 "ff 15 f0 ff ff ff");
	/* relative branches and the rest: copied as they are */
	check_relocation("e8 00 01 00 00", orig, orig + 0x7fff0000,
			 "e8 00 01 00 00");
	check_relocation("0f 84 f0 ff ff ff", orig, orig - 0x1000,
			 "0f 84 f0 ff ff ff");
	check_relocation("41 54", orig, orig + 0x1000, "41 54");

	/* only INSN_DISPLACE relocates */
	uint8_t endbr[] = { 0xf3, 0x0f, 0x1e, 0xfa }, out[16];
	struct insn_plan plan;
	CHECK(insn_plan(PTRC_ARCH_X86_64, endbr, 4, orig, &plan) == 0);
	CHECK(insn_relocate(PTRC_ARCH_X86_64, &plan, endbr, orig, orig, out) == -1);
}

/* ---- aarch64 ---- */

struct a64_case {
	uint32_t insn;
	enum insn_kind kind;
	bool is_call;
	const char *what;
};

static const struct a64_case a64_cases[] = {
	{ 0xd503233f, INSN_DISPLACE, false, "paciasp" },
	{ 0xd503237f, INSN_DISPLACE, false, "pacibsp" },
	{ 0xd50323bf, INSN_DISPLACE, false, "autiasp" },
	{ 0xd50320ff, INSN_DISPLACE, false, "xpaclri" },
	{ 0xd503241f, INSN_SKIP, false, "bti" },
	{ 0xd503245f, INSN_SKIP, false, "bti c" },
	{ 0xd503249f, INSN_SKIP, false, "bti j" },
	{ 0xd50324df, INSN_SKIP, false, "bti jc" },
	{ 0xd503201f, INSN_SKIP, false, "nop" },
	{ 0xd503203f, INSN_SKIP, false, "yield" },
	{ 0xa9bf7bfd, INSN_DISPLACE, false, "stp x29, x30, [sp, #-16]!" },
	{ 0x910003fd, INSN_DISPLACE, false, "mov x29, sp" },
	{ 0xd53bd040, INSN_DISPLACE, false, "mrs x0, tpidr_el0" },
	{ 0xb0000000, INSN_EMULATE, false, "adrp x0, +0x1000" },
	{ 0x10ffffc1, INSN_EMULATE, false, "adr x1, -8" },
	{ 0x94000040, INSN_EMULATE, false, "bl +0x100" },
	{ 0x14000002, INSN_EMULATE, false, "b +8" },
	{ 0x54000101, INSN_EMULATE, false, "b.ne +0x20" },
	{ 0x54000051, INSN_EMULATE, false, "bc.ne +8" },
	{ 0x34000200, INSN_EMULATE, false, "cbz w0, +0x40" },
	{ 0xb5ffffc1, INSN_EMULATE, false, "cbnz x1, -8" },
	{ 0x37180082, INSN_EMULATE, false, "tbnz w2, #3, +0x10" },
	{ 0xb647ffe3, INSN_EMULATE, false, "tbz x3, #40, -4" },
	{ 0x58000080, INSN_EMULATE, false, "ldr x0, +0x10" },
	{ 0x18ffffe5, INSN_EMULATE, false, "ldr w5, -4" },
	{ 0x98000046, INSN_EMULATE, false, "ldrsw x6, +8" },
	{ 0xd8000040, INSN_EMULATE, false, "prfm pldl1keep, +8" },
	{ 0x5c000040, INSN_UNSUPPORTED, false, "ldr d0, +8" },
	{ 0x9c000040, INSN_UNSUPPORTED, false, "ldr q0, +8" },
	{ 0x1c000040, INSN_UNSUPPORTED, false, "ldr s0, +8" },
	{ 0xd4000001, INSN_UNSUPPORTED, false, "svc #0" },
	{ 0xd4200000, INSN_UNSUPPORTED, false, "brk #0" },
	{ 0x00000000, INSN_UNSUPPORTED, false, "udf #0" },
	{ 0xc85f7c20, INSN_UNSUPPORTED, false, "ldxr x0, [x1]" },
	{ 0xc8027c20, INSN_UNSUPPORTED, false, "stxr w2, x0, [x1]" },
	{ 0x885ffc20, INSN_UNSUPPORTED, false, "ldaxr w0, [x1]" },
	{ 0xc87f0440, INSN_UNSUPPORTED, false, "ldxp x0, x1, [x2]" },
	{ 0xc8dffc20, INSN_DISPLACE, false, "ldar x0, [x1]" },
	{ 0x48207c82, INSN_DISPLACE, false, "casp x0, x1, x2, x3, [x4]" },
	{ 0x88a07c41, INSN_DISPLACE, false, "cas w0, w1, [x2]" },
	{ 0xd63f0200, INSN_DISPLACE, true, "blr x16" },
	{ 0xd73f0801, INSN_DISPLACE, true, "blraa x0, x1" },
	{ 0xd63f081f, INSN_DISPLACE, true, "blraaz x0" },
	{ 0xd61f0200, INSN_DISPLACE, false, "br x16" },
	{ 0xd65f03c0, INSN_DISPLACE, false, "ret" },
};

static void put_le32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void test_a64_plans(void)
{
	for (size_t i = 0; i < sizeof a64_cases / sizeof a64_cases[0]; i++) {
		const struct a64_case *c = &a64_cases[i];
		uint8_t code[4], out[4];
		struct insn_plan plan;

		put_le32(code, c->insn);
		int ret = insn_plan(PTRC_ARCH_AARCH64, code, 4, 0x400000, &plan);
		bool ok = ret == 0 && plan.len == 4 && plan.kind == c->kind &&
			  plan.is_call == c->is_call && !plan.relative_branch &&
			  !plan.pc_relative;
		CHECK(ok);
		if (!ok)
			fprintf(stderr, "  %s (%08x): ret %d kind %d call %d\n",
				c->what, c->insn, ret, plan.kind, plan.is_call);
		if (plan.kind == INSN_DISPLACE) {
			CHECK(insn_relocate(PTRC_ARCH_AARCH64, &plan, code,
					    0x400000, 0x500000, out) == 0);
			CHECK(memcmp(out, code, 4) == 0);
		}
	}

	uint8_t nop[4] = { 0x1f, 0x20, 0x03, 0xd5 };
	struct insn_plan plan;
	CHECK(insn_plan(PTRC_ARCH_AARCH64, nop, 3, 0x400000, &plan) == -1);
	CHECK(insn_plan(PTRC_ARCH_AARCH64, nop, 4, 0x400002, &plan) == -1);
}

/* A little tracee memory for the literal loads: 16 bytes at MEM_BASE. */
#define MEM_BASE 0x10000ull
static const uint8_t memory[16] = {
	0x01, 0x00, 0x00, 0x80, 0x44, 0x33, 0x22, 0x11,
	0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11,
};
static int loads;

static int load(void *ctx, uint64_t addr, void *buf, size_t len)
{
	(void)ctx;
	loads++;
	if (addr < MEM_BASE || addr + len > MEM_BASE + sizeof memory)
		return -1;
	memcpy(buf, memory + (addr - MEM_BASE), len);
	return 0;
}

/* Emulate INSN at PC with REGS (pc set here); returns 0 or -1. */
static int emulate(uint32_t insn, uint64_t pc, struct insn_a64_regs *regs)
{
	regs->pc = pc;
	return insn_emulate_a64(insn, regs, load, NULL);
}

/* PSTATE flag bits */
#define N (1ull << 31)
#define Z (1ull << 30)
#define C (1ull << 29)
#define V (1ull << 28)

struct cond_case {
	unsigned cond;
	uint64_t flags;
	bool taken;
};

static const struct cond_case cond_cases[] = {
	{ 0x0, Z, true }, { 0x0, 0, false },           /* eq */
	{ 0x1, Z, false }, { 0x1, N | C | V, true },   /* ne */
	{ 0x2, C, true }, { 0x2, Z, false },           /* cs */
	{ 0x3, C, false }, { 0x3, 0, true },           /* cc */
	{ 0x4, N, true }, { 0x4, Z | C | V, false },   /* mi */
	{ 0x5, N, false }, { 0x5, 0, true },           /* pl */
	{ 0x6, V, true }, { 0x6, N, false },           /* vs */
	{ 0x7, V, false }, { 0x7, N | Z | C, true },   /* vc */
	{ 0x8, C, true }, { 0x8, C | Z, false }, { 0x8, 0, false },  /* hi */
	{ 0x9, C, false }, { 0x9, C | Z, true }, { 0x9, Z, true },   /* ls */
	{ 0xa, 0, true }, { 0xa, N | V, true }, { 0xa, N, false },   /* ge */
	{ 0xb, V, true }, { 0xb, N | V, false }, { 0xb, 0, false },  /* lt */
	{ 0xc, 0, true }, { 0xc, Z, false }, { 0xc, N | V, true },   /* gt */
	{ 0xc, N, false },
	{ 0xd, Z, true }, { 0xd, N, true }, { 0xd, N | V, false },   /* le */
	{ 0xd, 0, false },
	{ 0xe, 0, true }, { 0xe, N | Z | C | V, true },              /* al */
	{ 0xf, 0, true }, { 0xf, N | Z | C | V, true },              /* nv */
};

static void test_a64_emulation(void)
{
	struct insn_a64_regs regs, before;

	memset(&regs, 0, sizeof regs);

	/* adrp x0, +0x1000 page; adr x1, -8 */
	CHECK(emulate(0xb0000000, 0x400abc, &regs) == 0);
	CHECK(regs.x[0] == 0x401000 && regs.pc == 0x400ac0);
	CHECK(emulate(0x90000000 | (0x3u << 29) | (0x7ffffu << 5), 0x400abc,
		      &regs) == 0);  /* adrp x0, -0x1000 page */
	CHECK(regs.x[0] == 0x3ff000);
	CHECK(emulate(0x10ffffc1, 0x1000, &regs) == 0);
	CHECK(regs.x[1] == 0xff8 && regs.pc == 0x1004);

	/* bl +0x100, bl -4, b +8 */
	CHECK(emulate(0x94000040, 0x2000, &regs) == 0);
	CHECK(regs.x[30] == 0x2004 && regs.pc == 0x2100);
	CHECK(emulate(0x97ffffff, 0x2000, &regs) == 0);
	CHECK(regs.x[30] == 0x2004 && regs.pc == 0x1ffc);
	regs.x[30] = 7;
	CHECK(emulate(0x14000002, 0x2000, &regs) == 0);
	CHECK(regs.x[30] == 7 && regs.pc == 0x2008);

	/* b.cond: every condition, taken (+0x20) or not (+4) */
	for (size_t i = 0; i < sizeof cond_cases / sizeof cond_cases[0]; i++) {
		const struct cond_case *c = &cond_cases[i];
		regs.pstate = c->flags;
		CHECK(emulate(0x54000100 | c->cond, 0x3000, &regs) == 0);
		bool ok = regs.pc == (c->taken ? 0x3020u : 0x3004u);
		CHECK(ok);
		if (!ok)
			fprintf(stderr, "  b.cond %x with flags %llx: pc %llx\n",
				c->cond, (unsigned long long)c->flags,
				(unsigned long long)regs.pc);
	}
	regs.pstate = 0;  /* b.eq -0x10, not taken, then taken */
	CHECK(emulate(0x54ffff80, 0x3000, &regs) == 0 && regs.pc == 0x3004);
	regs.pstate = Z;
	CHECK(emulate(0x54ffff80, 0x3000, &regs) == 0 && regs.pc == 0x2ff0);

	/* cbz w0, +0x40: only the low 32 bits count */
	regs.x[0] = 0xffffffff00000000;
	CHECK(emulate(0x34000200, 0x4000, &regs) == 0 && regs.pc == 0x4040);
	regs.x[0] = 1;
	CHECK(emulate(0x34000200, 0x4000, &regs) == 0 && regs.pc == 0x4004);
	/* cbz x0 (0xb4000200): all 64 bits */
	regs.x[0] = 0xffffffff00000000;
	CHECK(emulate(0xb4000200, 0x4000, &regs) == 0 && regs.pc == 0x4004);
	/* cbnz x1, -8 */
	regs.x[1] = 0;
	CHECK(emulate(0xb5ffffc1, 0x4000, &regs) == 0 && regs.pc == 0x4004);
	regs.x[1] = 5;
	CHECK(emulate(0xb5ffffc1, 0x4000, &regs) == 0 && regs.pc == 0x3ff8);
	/* cbz wzr, +0x10: always taken */
	CHECK(emulate(0x3400009f, 0x4000, &regs) == 0 && regs.pc == 0x4010);

	/* tbnz w2, #3, +0x10 */
	regs.x[2] = 8;
	CHECK(emulate(0x37180082, 0x5000, &regs) == 0 && regs.pc == 0x5010);
	regs.x[2] = ~8ull;
	CHECK(emulate(0x37180082, 0x5000, &regs) == 0 && regs.pc == 0x5004);
	/* tbz x3, #40, -4 */
	regs.x[3] = 1ull << 40;
	CHECK(emulate(0xb647ffe3, 0x5000, &regs) == 0 && regs.pc == 0x5004);
	regs.x[3] = ~(1ull << 40);
	CHECK(emulate(0xb647ffe3, 0x5000, &regs) == 0 && regs.pc == 0x4ffc);

	/* ldr x0, +0x10 from MEM_BASE - 0x10 */
	CHECK(emulate(0x58000080, MEM_BASE - 0x10, &regs) == 0);
	CHECK(regs.x[0] == 0x1122334480000001 && regs.pc == MEM_BASE - 0xc);
	/* ldr w5, -4: zero-extended */
	regs.x[5] = ~0ull;
	CHECK(emulate(0x18ffffe5, MEM_BASE + 4, &regs) == 0);
	CHECK(regs.x[5] == 0x80000001 && regs.pc == MEM_BASE + 8);
	/* ldrsw x6, +8: sign-extended */
	CHECK(emulate(0x98000046, MEM_BASE - 8, &regs) == 0);
	CHECK(regs.x[6] == 0xffffffff80000001);
	CHECK(emulate(0x98000046, MEM_BASE - 4, &regs) == 0);
	CHECK(regs.x[6] == 0x11223344);
	/* ldr xzr: loaded, discarded */
	before = regs;
	CHECK(emulate(0x5800001f, MEM_BASE, &regs) == 0);
	before.pc = MEM_BASE + 4;
	CHECK(memcmp(&regs, &before, sizeof regs) == 0);
	/* a load that fails leaves the registers alone */
	before = regs;
	CHECK(insn_emulate_a64(0x58000080, &regs, load, NULL) == -1);
	CHECK(memcmp(&regs, &before, sizeof regs) == 0);

	/* prfm: no load, next instruction */
	loads = 0;
	CHECK(emulate(0xd8000040, 0x6000, &regs) == 0);
	CHECK(regs.pc == 0x6004 && loads == 0);

	/* not INSN_EMULATE */
	before = regs;
	CHECK(insn_emulate_a64(0xd503201f, &regs, load, NULL) == -1);  /* nop */
	CHECK(insn_emulate_a64(0xa9bf7bfd, &regs, load, NULL) == -1);  /* stp */
	CHECK(memcmp(&regs, &before, sizeof regs) == 0);
}

/* ---- both ---- */

static void test_breakpoints(void)
{
	uint8_t bp[4];

	CHECK(insn_breakpoint(PTRC_ARCH_X86_64, bp) == 1 && bp[0] == 0xcc);
	CHECK(insn_breakpoint(PTRC_ARCH_AARCH64, bp) == 4);
	CHECK(memcmp(bp, "\x00\x00\x20\xd4", 4) == 0);
	CHECK(insn_breakpoint(PTRC_ARCH_I386, bp) == 0);

	/* the breakpoints themselves are not displaced */
	struct insn_plan plan;
	CHECK(insn_plan(PTRC_ARCH_X86_64, (const uint8_t *)"\xcc", 1, 0, &plan) == 0);
	CHECK(plan.kind == INSN_UNSUPPORTED);
	CHECK(insn_plan(PTRC_ARCH_AARCH64, bp, 4, 0, &plan) == 0);
	CHECK(plan.kind == INSN_UNSUPPORTED);

	/* i386: out of scope */
	CHECK(insn_plan(PTRC_ARCH_I386, (const uint8_t *)"\x55", 1, 0, &plan) == 0);
	CHECK(plan.kind == INSN_UNSUPPORTED);
	CHECK(insn_relocate(PTRC_ARCH_I386, &plan, (const uint8_t *)"\x55", 0, 0,
			    bp) == -1);
}

int main(void)
{
	test_x86_plans();
	test_x86_relocation();
	test_a64_plans();
	test_a64_emulation();
	test_breakpoints();
	return check_result("insn");
}
