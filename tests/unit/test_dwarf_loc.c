/* The DWARF expression machine (src/stack/dwarf_loc.c) on fabricated
 * expressions, registers and memory: what it computes, and that garbage
 * (an unknown register, an overflowing stack, unreadable memory, an
 * operation it does not know) makes a value unknown or an error, never a
 * made-up one. */
#include <dwarf.h>
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "dwarf_loc.h"
#include "ptrc/mem.h"

/* Tracee memory: 64 bytes at 0x1000 holding 0x00, 0x01, ... 0x3f. */
static ssize_t fake_memory(pid_t tid, uint64_t addr, void *buf, size_t len)
{
	(void)tid;
	if (addr < 0x1000 || addr >= 0x1040)
		return -1;
	size_t n = 0;
	for (; n < len && addr + n < 0x1040; n++)
		((uint8_t *)buf)[n] = (uint8_t)(addr + n - 0x1000);
	return (ssize_t)n;
}

static Dwarf_Op op(uint8_t atom, Dwarf_Word number, Dwarf_Word number2)
{
	return (Dwarf_Op){ .atom = atom, .number = number, .number2 = number2 };
}

static struct frame_regs regs;
static struct loc_ctx ctx = { .tid = 1, .addr_size = 8, .regs = &regs };

static void test_values(void)
{
	uint64_t v = 0;
	Dwarf_Op breg[] = { op(DW_OP_breg7, (Dwarf_Word)-8, 0) };
	CHECK(loc_eval_value(&ctx, breg, 1, &v) == LOC_OK && v == 0x1008);

	Dwarf_Op arith[] = { op(DW_OP_lit5, 0, 0), op(DW_OP_lit3, 0, 0),
		op(DW_OP_minus, 0, 0), op(DW_OP_const1u, 10, 0),
		op(DW_OP_mul, 0, 0), op(DW_OP_stack_value, 0, 0) };
	CHECK(loc_eval_value(&ctx, arith, 6, &v) == LOC_OK && v == 20);

	Dwarf_Op cfa[] = { op(DW_OP_call_frame_cfa, 0, 0) };
	CHECK(loc_eval_value(&ctx, cfa, 1, &v) == LOC_OK && v == 0x2000);

	/* Register 3 is not known in this frame: no value. */
	Dwarf_Op unknown[] = { op(DW_OP_breg3, 0, 0) };
	CHECK(loc_eval_value(&ctx, unknown, 1, &v) == LOC_OPTIMIZED_OUT);
	Dwarf_Op far[] = { op(DW_OP_regx, 1000, 0) };
	CHECK(loc_eval_value(&ctx, far, 1, &v) == LOC_OPTIMIZED_OUT);

	/* Division by zero, a pop of an empty stack, an unknown operation. */
	Dwarf_Op div0[] = { op(DW_OP_lit1, 0, 0), op(DW_OP_lit0, 0, 0),
		op(DW_OP_div, 0, 0) };
	CHECK(loc_eval_value(&ctx, div0, 3, &v) == LOC_OPTIMIZED_OUT);
	Dwarf_Op empty[] = { op(DW_OP_plus, 0, 0) };
	CHECK(loc_eval_value(&ctx, empty, 1, &v) == LOC_OPTIMIZED_OUT);
	Dwarf_Op branch[] = { op(DW_OP_lit1, 0, 0), op(DW_OP_skip, 0, 0) };
	CHECK(loc_eval_value(&ctx, branch, 2, &v) == LOC_OPTIMIZED_OUT);

	/* More pushes than the stack holds. */
	Dwarf_Op many[100];
	for (int i = 0; i < 100; i++)
		many[i] = op(DW_OP_lit1, 0, 0);
	CHECK(loc_eval_value(&ctx, many, 100, &v) == LOC_OPTIMIZED_OUT);

	/* An entry value with no way to find it. */
	Dwarf_Op entry[] = { op(DW_OP_entry_value, 1, 0),
		op(DW_OP_stack_value, 0, 0) };
	CHECK(loc_eval_value(&ctx, entry, 2, &v) == LOC_OPTIMIZED_OUT);
}

static void test_objects(void)
{
	uint8_t out[16];
	uint64_t err = 0;
	/* In memory at rsp - 16 (0x1000 - 0x100f). */
	Dwarf_Op mem[] = { op(DW_OP_breg7, (Dwarf_Word)-16, 0) };
	CHECK(loc_read_object(&ctx, mem, 1, out, 4, &err) == LOC_OK
			&& out[0] == 0 && out[3] == 3);

	/* Through a pointer: *(rsp - 16) is 0x0706050403020100, unmapped. */
	Dwarf_Op through[] = { op(DW_OP_breg7, (Dwarf_Word)-16, 0),
		op(DW_OP_deref, 0, 0) };
	CHECK(loc_read_object(&ctx, through, 2, out, 4, &err) == LOC_MEM_ERROR
			&& err == 0x0706050403020100ull);

	/* Memory that ends within the object. */
	Dwarf_Op edge[] = { op(DW_OP_addr, 0x103c, 0) };
	CHECK(loc_read_object(&ctx, edge, 1, out, 8, &err) == LOC_MEM_ERROR);

	/* Pieces: 4 bytes of register 0, then 4 of memory at 0x1010. */
	Dwarf_Op pieces[] = { op(DW_OP_reg0, 0, 0), op(DW_OP_piece, 4, 0),
		op(DW_OP_addr, 0x1010, 0), op(DW_OP_piece, 4, 0) };
	CHECK(loc_read_object(&ctx, pieces, 4, out, 8, &err) == LOC_OK);
	CHECK(out[0] == 0x44 && out[3] == 0x22 && out[4] == 0x10
			&& out[7] == 0x13);

	/* A piece with no location is optimized out: the whole object is. */
	Dwarf_Op gap[] = { op(DW_OP_piece, 4, 0), op(DW_OP_reg0, 0, 0),
		op(DW_OP_piece, 4, 0) };
	CHECK(loc_read_object(&ctx, gap, 3, out, 8, &err) == LOC_OPTIMIZED_OUT);

	/* Pieces that cover less than the object. */
	Dwarf_Op short_pieces[] = { op(DW_OP_reg0, 0, 0), op(DW_OP_piece, 2, 0) };
	CHECK(loc_read_object(&ctx, short_pieces, 2, out, 8, &err)
			== LOC_OPTIMIZED_OUT);

	/* A value in a register: a double in a vector register is not read. */
	Dwarf_Op in_reg[] = { op(DW_OP_reg0, 0, 0) };
	CHECK(loc_read_object(&ctx, in_reg, 1, out, 16, &err)
			== LOC_OPTIMIZED_OUT);
	CHECK(loc_read_object(&ctx, in_reg, 1, out, 8, &err) == LOC_OK
			&& out[0] == 0x44);

	/* fbreg without a frame base; too big an object. */
	Dwarf_Op fb[] = { op(DW_OP_fbreg, 8, 0) };
	CHECK(loc_read_object(&ctx, fb, 1, out, 4, &err) == LOC_OPTIMIZED_OUT);
	struct loc_ctx with_base = ctx;
	with_base.has_frame_base = true;
	with_base.frame_base = 0x1000;
	CHECK(loc_read_object(&with_base, fb, 1, out, 4, &err) == LOC_OK
			&& out[0] == 8);
	CHECK(loc_read_object(&ctx, mem, 1, out, LOC_MAX_OBJECT + 1, &err)
			== LOC_OPTIMIZED_OUT);
}

static Dwarf_Op op_at(uint8_t atom, Dwarf_Word number, Dwarf_Word offset)
{
	return (Dwarf_Op){ .atom = atom, .number = number, .offset = offset };
}

/* DW_OP_bra and DW_OP_skip: to the operation at the target offset. */
static void test_branches(void)
{
	uint64_t v = 0;
	/* 4; cond; bra +1 (to offset 6, lit3); lit2; lit3; plus */
	Dwarf_Op taken[] = { op_at(DW_OP_lit4, 0, 0), op_at(DW_OP_lit1, 0, 1),
		op_at(DW_OP_bra, 1, 2), op_at(DW_OP_lit2, 0, 5),
		op_at(DW_OP_lit3, 0, 6), op_at(DW_OP_plus, 0, 7) };
	CHECK(loc_eval_value(&ctx, taken, 6, &v) == LOC_OK && v == 7);
	taken[1].atom = DW_OP_lit0;  /* not taken: 4 2 3 plus */
	CHECK(loc_eval_value(&ctx, taken, 6, &v) == LOC_OK && v == 5);
	/* A skip back onto itself: stopped by the step count. */
	Dwarf_Op loop[] = { op_at(DW_OP_skip, (Dwarf_Word)-3, 0) };
	CHECK(loc_eval_value(&ctx, loop, 1, &v) == LOC_OPTIMIZED_OUT);
	/* A target inside an operation. */
	Dwarf_Op inside[] = { op_at(DW_OP_skip, 1, 0), op_at(DW_OP_lit1, 0, 3),
		op_at(DW_OP_lit2, 0, 5) };
	CHECK(loc_eval_value(&ctx, inside, 3, &v) == LOC_OPTIMIZED_OUT);
}

/* Objects some of whose pieces are not known (loc_read_pieces). */
static void test_partial(void)
{
	uint8_t out[16], known[16];
	uint64_t err = 0;
	/* An empty piece, then register 0, then register 3 (not known). */
	Dwarf_Op gap[] = { op(DW_OP_piece, 4, 0), op(DW_OP_reg0, 0, 0),
		op(DW_OP_piece, 2, 0), op(DW_OP_reg3, 0, 0),
		op(DW_OP_piece, 2, 0) };
	CHECK(loc_read_pieces(&ctx, gap, 5, out, known, 10, &err) == LOC_OK);
	CHECK(known[0] == LOC_UNKNOWN && known[3] == LOC_UNKNOWN
			&& out[0] == 0 && known[4] == LOC_KNOWN && out[4] == 0x44
			&& known[6] == LOC_UNKNOWN && known[7] == LOC_UNKNOWN
			&& known[8] == LOC_PAST_PIECES && known[9] == LOC_PAST_PIECES);
	/* Nothing known at all: optimized out. */
	Dwarf_Op none[] = { op(DW_OP_reg3, 0, 0), op(DW_OP_piece, 4, 0) };
	CHECK(loc_read_pieces(&ctx, none, 2, out, known, 4, &err)
			== LOC_OPTIMIZED_OUT);
	/* Unreadable memory in a piece is an error for the whole object. */
	Dwarf_Op bad[] = { op(DW_OP_reg0, 0, 0), op(DW_OP_piece, 4, 0),
		op(DW_OP_addr, 0x103c, 0), op(DW_OP_piece, 8, 0) };
	CHECK(loc_read_pieces(&ctx, bad, 4, out, known, 12, &err)
			== LOC_MEM_ERROR);
	/* A vector register in frame 0: its low bytes. */
	struct frame_regs vregs = regs;
	struct loc_ctx vctx = ctx;
	vctx.regs = &vregs;
	vregs.vec_first = 17;
	vregs.vec_known = 1 << 1;  /* xmm1 */
	for (int i = 0; i < FRAME_VEC_SIZE; i++)
		vregs.vec[1][i] = (uint8_t)(0xa0 + i);
	Dwarf_Op xmm1[] = { op(DW_OP_reg18, 0, 0) };
	CHECK(loc_read_object(&vctx, xmm1, 1, out, 8, &err) == LOC_OK
			&& out[0] == 0xa0 && out[7] == 0xa7);
	CHECK(loc_read_object(&vctx, xmm1, 1, out, 16, &err) == LOC_OK
			&& out[15] == 0xaf);
	Dwarf_Op xmm0[] = { op(DW_OP_reg17, 0, 0) };
	CHECK(loc_read_object(&vctx, xmm0, 1, out, 8, &err)
			== LOC_OPTIMIZED_OUT);
}

int main(void)
{
	mem_set_reader(fake_memory);
	regs.val[0] = 0x1122334444;  /* rax, low byte 0x44 */
	regs.val[7] = 0x1010;        /* rsp */
	regs.known = 1 << 0 | 1 << 7;
	regs.cfa = 0x2000;
	regs.cfa_known = true;
	test_values();
	test_objects();
	test_partial();
	test_branches();
	return check_failures ? 1 : 0;
}
