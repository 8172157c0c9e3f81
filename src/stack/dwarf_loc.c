/* The DWARF expression machine: a stack of at most LOC_STACK words, at
 * most LOC_MAX_STEPS operations run (DW_OP_skip/bra may loop: the count
 * stops them), pieces gathered into
 * the object's bytes. What the machine does not know (an operation it does
 * not implement, a register not recovered in this frame, an entry value)
 * makes the object <optimized out>: a value is never made up. */
#include "dwarf_loc.h"

#include <dwarf.h>
#include <string.h>

#include "dwarf_loc_machine.h"
#include "ptrc/mem.h"

static uint64_t mask(const struct machine *m, uint64_t v)
{
	return m->c->addr_size == 4 ? (uint32_t)v : v;
}

static bool push(struct machine *m, uint64_t v)
{
	return machine_push_slot(m, (struct loc_slot){ .v = v });
}

/* An integer (generic or typed) off the stack: what addresses, counts and
 * the untyped operations take; a float is refused. */
static bool pop(struct machine *m, uint64_t *v)
{
	struct loc_slot s;
	if (!machine_pop_slot(m, &s) || s.t.enc == DW_ATE_float)
		return false;
	*v = s.v;
	return true;
}

static bool typed(const struct machine *m, int depth)
{
	return m->n > depth && m->st[m->n - 1 - depth].t.size != 0;
}

static bool reg_value(struct machine *m, uint64_t regno, uint64_t *v)
{
	const struct frame_regs *r = m->c->regs;
	if (!r || regno >= FRAME_REGS_MAX || !(r->known >> regno & 1)) {
		m->status = LOC_OPTIMIZED_OUT;
		return false;
	}
	*v = r->val[regno];
	return true;
}

static bool deref(struct machine *m, uint64_t addr, unsigned size)
{
	uint8_t buf[8] = {0};
	if (size == 0 || size > 8)
		return false;
	addr = mask(m, addr);
	if (mem_read(m->c->tid, addr, buf, size) != (ssize_t)size) {
		m->status = LOC_MEM_ERROR;
		m->err_addr = addr;
		return false;
	}
	uint64_t v = 0;
	for (unsigned i = 0; i < size; i++)  /* little-endian targets only */
		v |= (uint64_t)buf[i] << (8 * i);
	return push(m, v);
}

/* Binary operations on generic values: pops B then A, pushes A op B. */
static bool binary(struct machine *m, uint8_t atom)
{
	uint64_t a, b;
	if (typed(m, 0) || typed(m, 1))
		return loc_typed_arith(m, atom) == 1;
	if (!pop(m, &b) || !pop(m, &a))
		return false;
	uint64_t r;
	switch (atom) {
	case DW_OP_and: r = a & b; break;
	case DW_OP_or: r = a | b; break;
	case DW_OP_xor: r = a ^ b; break;
	case DW_OP_plus: r = a + b; break;
	case DW_OP_minus: r = a - b; break;
	case DW_OP_mul: r = a * b; break;
	case DW_OP_shl: r = b < 64 ? a << b : 0; break;
	case DW_OP_shr: r = b < 64 ? a >> b : 0; break;
	case DW_OP_shra: r = (uint64_t)((int64_t)a >> (b < 64 ? b : 63)); break;
	case DW_OP_div:
		if (b == 0)
			return false;
		r = (uint64_t)((int64_t)a / (int64_t)b);
		break;
	case DW_OP_mod:
		if (b == 0)
			return false;
		r = a % b;
		break;
	case DW_OP_eq: r = a == b; break;
	case DW_OP_ne: r = a != b; break;
	case DW_OP_lt: r = (int64_t)a < (int64_t)b; break;
	case DW_OP_gt: r = (int64_t)a > (int64_t)b; break;
	case DW_OP_le: r = (int64_t)a <= (int64_t)b; break;
	case DW_OP_ge: r = (int64_t)a >= (int64_t)b; break;
	default: return false;
	}
	return push(m, mask(m, r));
}

/* Closes the location built so far into a piece of SIZE bytes (0: the
 * whole object). An empty location is a part that is optimized out. */
static bool close_piece(struct machine *m, size_t size)
{
	if (m->npieces == LOC_MAX_PIECES)
		return false;
	struct piece p = m->cur;
	if (!m->have_cur) {
		uint64_t addr;
		if (pop(m, &addr))
			p = (struct piece){ .kind = PIECE_MEM, .v = mask(m, addr) };
		else
			p = (struct piece){ .kind = PIECE_GONE };
	}
	p.size = size;
	m->pieces[m->npieces++] = p;
	m->have_cur = false;
	m->n = 0;
	return true;
}

static bool set_location(struct machine *m, enum piece_kind kind, uint64_t v)
{
	m->cur = (struct piece){ .kind = kind, .v = v };
	m->have_cur = true;
	return true;
}

/* DW_OP_entry_value's block, handed to the context's entry_value; the
 * value has the type of a DW_OP_regval_type block (gcc's for a double). */
static bool entry_value(struct machine *m, const Dwarf_Op *op,
		struct loc_slot *v)
{
	Dwarf_Attribute sub;
	Dwarf_Op *inner;
	size_t ninner;
	*v = (struct loc_slot){0};
	if (!m->c->entry_value || !m->c->attr
			|| dwarf_getlocation_attr(m->c->attr, op, &sub) != 0
			|| dwarf_getlocation(&sub, &inner, &ninner) != 0
			|| ninner != 1)
		return false;
	if ((inner[0].atom == DW_OP_regval_type
			|| inner[0].atom == DW_OP_GNU_regval_type)
			&& !loc_op_type(m->c->unit, &inner[0], &v->t))
		return false;
	if (!m->c->entry_value(m->c->entry_arg, inner, ninner, &v->v))
		return false;
	if (v->t.size && v->t.size < 8)
		v->v &= ((uint64_t)1 << (8 * v->t.size)) - 1;
	return true;
}

/* The .debug_addr entry DW_OP_addrx / constx names (split DWARF). */
static bool indexed(struct machine *m, const Dwarf_Op *op, uint64_t *v)
{
	Dwarf_Attribute entry;
	Dwarf_Addr addr;
	if (!m->c->attr || dwarf_getlocation_attr(m->c->attr, op, &entry) != 0
			|| dwarf_formaddr(&entry, &addr) != 0)
		return false;
	*v = addr;
	return true;
}

/* Operations that push a constant or a register-based address. */
static int push_op(struct machine *m, const Dwarf_Op *op)
{
	uint8_t a = op->atom;
	uint64_t v;
	struct loc_slot slot;
	if (a >= DW_OP_lit0 && a <= DW_OP_lit31)
		return push(m, a - DW_OP_lit0);
	if (a >= DW_OP_breg0 && a <= DW_OP_breg31)
		return reg_value(m, a - DW_OP_breg0, &v)
			&& push(m, mask(m, v + op->number));
	switch (a) {
	case DW_OP_addr:
		return push(m, mask(m, op->number + m->c->bias));
	case DW_OP_addrx: case DW_OP_GNU_addr_index:  /* split DWARF */
		return indexed(m, op, &v) && push(m, mask(m, v + m->c->bias));
	case DW_OP_constx: case DW_OP_GNU_const_index:
		return indexed(m, op, &v) && push(m, v);
	case DW_OP_const1u: case DW_OP_const2u: case DW_OP_const4u:
	case DW_OP_const8u: case DW_OP_constu:
	case DW_OP_const1s: case DW_OP_const2s: case DW_OP_const4s:
	case DW_OP_const8s: case DW_OP_consts:
		return push(m, op->number);
	case DW_OP_bregx:
		return reg_value(m, op->number, &v)
			&& push(m, mask(m, v + op->number2));
	case DW_OP_fbreg:
		if (!m->c->has_frame_base) {
			m->status = LOC_OPTIMIZED_OUT;
			return false;
		}
		return push(m, mask(m, m->c->frame_base + op->number));
	case DW_OP_call_frame_cfa:
		if (!m->c->regs || !m->c->regs->cfa_known) {
			m->status = LOC_OPTIMIZED_OUT;
			return false;
		}
		return push(m, m->c->regs->cfa);
	case DW_OP_entry_value:
	case DW_OP_GNU_entry_value:
		if (!entry_value(m, op, &slot)) {
			m->status = LOC_OPTIMIZED_OUT;
			return false;
		}
		return machine_push_slot(m, slot);
	}
	return -1;  /* not a push */
}

/* Stack manipulation and arithmetic. -1: not one of these. */
static int stack_op(struct machine *m, const Dwarf_Op *op)
{
	uint64_t a;
	struct loc_slot x, y, z;
	switch (op->atom) {
	case DW_OP_dup:
		return m->n > 0 && machine_push_slot(m, m->st[m->n - 1]);
	case DW_OP_drop:
		return machine_pop_slot(m, &x);
	case DW_OP_over:
		return m->n > 1 && machine_push_slot(m, m->st[m->n - 2]);
	case DW_OP_pick:
		return op->number < (uint64_t)m->n
			&& machine_push_slot(m, m->st[m->n - 1 - (int)op->number]);
	case DW_OP_swap:
		if (!machine_pop_slot(m, &x) || !machine_pop_slot(m, &y))
			return false;
		return machine_push_slot(m, x) && machine_push_slot(m, y);
	case DW_OP_rot:
		if (!machine_pop_slot(m, &x) || !machine_pop_slot(m, &y)
				|| !machine_pop_slot(m, &z))
			return false;
		return machine_push_slot(m, x) && machine_push_slot(m, z)
			&& machine_push_slot(m, y);
	case DW_OP_deref:
		return pop(m, &a) && deref(m, a, m->c->addr_size);
	case DW_OP_deref_size:
		return pop(m, &a) && deref(m, a, (unsigned)op->number);
	case DW_OP_abs: case DW_OP_neg: case DW_OP_not: case DW_OP_plus_uconst:
		if (typed(m, 0))
			return op->atom != DW_OP_plus_uconst
				&& loc_typed_arith(m, op->atom) == 1;
		break;
	}
	switch (op->atom) {
	case DW_OP_abs:
		return pop(m, &a) && push(m, (int64_t)a < 0 ? -a : a);
	case DW_OP_neg:
		return pop(m, &a) && push(m, mask(m, -a));
	case DW_OP_not:
		return pop(m, &a) && push(m, mask(m, ~a));
	case DW_OP_plus_uconst:
		return pop(m, &a) && push(m, mask(m, a + op->number));
	case DW_OP_and: case DW_OP_or: case DW_OP_xor: case DW_OP_plus:
	case DW_OP_minus: case DW_OP_mul: case DW_OP_shl: case DW_OP_shr:
	case DW_OP_shra: case DW_OP_div: case DW_OP_mod: case DW_OP_eq:
	case DW_OP_ne: case DW_OP_lt: case DW_OP_gt: case DW_OP_le:
	case DW_OP_ge:
		return binary(m, op->atom);
	case DW_OP_nop:
		return true;
	}
	return -1;
}

/* The object is in register REGNO: a general one known in this frame, or
 * a vector one (frame 0's xmm or v). */
static bool reg_location(struct machine *m, uint64_t regno)
{
	const struct frame_regs *r = m->c->regs;
	if (frame_regs_vec(r, regno) || (r && regno < FRAME_REGS_MAX
			&& (r->known >> regno & 1)))
		return set_location(m, PIECE_REG, regno);
	/* Not known in this frame: that piece (or the whole object) is
	 * optimized out, the other pieces may still be known. */
	return set_location(m, PIECE_GONE, 0);
}

/* Operations that name where the object is (or what it is). */
static bool location_op(struct machine *m, const Dwarf_Op *op)
{
	uint8_t a = op->atom;
	if (a >= DW_OP_reg0 && a <= DW_OP_reg31)
		return reg_location(m, a - DW_OP_reg0);
	switch (a) {
	case DW_OP_regx:
		return reg_location(m, op->number);
	case DW_OP_stack_value: {
		struct loc_slot top;  /* any type: its bits are the value */
		return machine_pop_slot(m, &top)
			&& set_location(m, PIECE_VALUE, top.v);
	}
	case DW_OP_implicit_value: {
		Dwarf_Block block;
		if (!m->c->attr || dwarf_getlocation_implicit_value(m->c->attr,
				op, &block) != 0)
			return false;
		m->cur = (struct piece){ .kind = PIECE_IMPLICIT,
			.bytes = block.data, .len = block.length };
		m->have_cur = true;
		return true;
	}
	case DW_OP_piece:
		return close_piece(m, (size_t)op->number);
	case DW_OP_implicit_pointer:
	case DW_OP_GNU_implicit_pointer:
		return set_location(m, PIECE_SYNTHETIC, 0);
	}
	/* DW_OP_entry_value, DW_OP_GNU_entry_value, implicit pointers, typed
	 * stack operations, calls, TLS...: not known here. */
	m->status = LOC_OPTIMIZED_OUT;
	return false;
}

/* Runs OPS; on success the pieces are in M. */
/* DW_OP_skip / DW_OP_bra at OPS[*I]: *I becomes the index before the
 * target (the loop's i++ lands on it). The target must be the start of
 * an operation of the expression; anything else fails it. */
static bool branch(struct machine *m, const Dwarf_Op *ops, size_t nops,
		size_t *i)
{
	const Dwarf_Op *op = &ops[*i];
	if (op->atom == DW_OP_bra) {
		uint64_t cond;
		if (!pop(m, &cond))
			return false;
		if (cond == 0)
			return true;  /* falls through */
	}
	/* The 2-byte operand counts from the end of this 3-byte operation. */
	uint64_t target = op->offset + 3 + (uint64_t)(int64_t)(int16_t)op->number;
	for (size_t j = 0; j < nops; j++)
		if (ops[j].offset == target) {
			*i = j - 1;  /* wraps for j == 0: the loop's i++ undoes it */
			return true;
		}
	return false;
}

static enum loc_status run(struct machine *m, const Dwarf_Op *ops, size_t nops)
{
	size_t steps = 0;  /* branches can loop: LOC_MAX_STEPS in all */
	for (size_t i = 0; i < nops; i++) {
		const Dwarf_Op *op = &ops[i];
		if (++steps > LOC_MAX_STEPS)
			return LOC_OPTIMIZED_OUT;
		if (op->atom == DW_OP_skip || op->atom == DW_OP_bra) {
			if (!branch(m, ops, nops, &i))
				return LOC_OPTIMIZED_OUT;
			continue;
		}
		int done = loc_typed_op(m, op);
		if (done < 0)
			done = push_op(m, op);
		if (done < 0)
			done = stack_op(m, op);
		if (done < 0)
			done = location_op(m, op);
		if (!done)
			return m->status != LOC_OK ? m->status : LOC_OPTIMIZED_OUT;
	}
	return LOC_OK;
}

static enum loc_status piece_bytes(struct machine *m, const struct piece *p,
		uint8_t *out, size_t size)
{
	uint8_t word[8];
	size_t n = size < 8 ? size : 8;
	switch (p->kind) {
	case PIECE_MEM:
		if (mem_read(m->c->tid, p->v, out, size) != (ssize_t)size) {
			m->err_addr = p->v;
			return LOC_MEM_ERROR;
		}
		return LOC_OK;
	case PIECE_REG:
	case PIECE_VALUE: {
		const uint8_t *vec = p->kind == PIECE_REG
			? frame_regs_vec(m->c->regs, p->v) : NULL;
		if (vec) {
			if (size > FRAME_VEC_SIZE)
				return LOC_OPTIMIZED_OUT;
			memcpy(out, vec, size);
			return LOC_OK;
		}
		if (size > 8 && p->kind == PIECE_REG)
			return LOC_OPTIMIZED_OUT;
		uint64_t v = p->kind == PIECE_VALUE ? p->v : m->c->regs->val[p->v];
		for (size_t i = 0; i < 8; i++)
			word[i] = (uint8_t)(v >> (8 * i));
		memset(out, 0, size);
		memcpy(out, word, n);
		return LOC_OK;
	}
	case PIECE_IMPLICIT:
		if (p->len < size)
			return LOC_OPTIMIZED_OUT;
		memcpy(out, p->bytes, size);
		return LOC_OK;
	case PIECE_GONE:
	case PIECE_SYNTHETIC:  /* no bytes: loc_read_pieces marks it */
		break;
	}
	return LOC_OPTIMIZED_OUT;
}

enum loc_status loc_read_pieces(const struct loc_ctx *c, const Dwarf_Op *ops,
		size_t nops, uint8_t *out, uint8_t *known, size_t size,
		uint64_t *err_addr)
{
	struct machine m = { .c = c };
	if (size > LOC_MAX_OBJECT || nops == 0)
		return LOC_OPTIMIZED_OUT;
	enum loc_status st = run(&m, ops, nops);
	if (st == LOC_MEM_ERROR)
		*err_addr = m.err_addr;
	if (st != LOC_OK)
		return st;
	if (m.npieces == 0 && !close_piece(&m, 0))
		return LOC_OPTIMIZED_OUT;
	size_t at = 0;
	bool any = false;
	for (int i = 0; i < m.npieces && at < size; i++) {
		size_t len = m.pieces[i].size ? m.pieces[i].size : size - at;
		if (len > size - at)
			len = size - at;
		if (m.pieces[i].kind == PIECE_SYNTHETIC) {
			memset(out + at, 0, len);
			memset(known + at, LOC_SYNTHETIC, len);
			any = true;
			at += len;
			continue;
		}
		st = piece_bytes(&m, &m.pieces[i], out + at, len);
		if (st == LOC_MEM_ERROR) {
			*err_addr = m.err_addr;
			return st;
		}
		if (st != LOC_OK)
			memset(out + at, 0, len);
		memset(known + at, st == LOC_OK ? LOC_KNOWN : LOC_UNKNOWN, len);
		any |= st == LOC_OK;
		at += len;
	}
	memset(out + at, 0, size - at);
	memset(known + at, LOC_PAST_PIECES, size - at);
	return any ? LOC_OK : LOC_OPTIMIZED_OUT;
}

enum loc_status loc_read_object(const struct loc_ctx *c, const Dwarf_Op *ops,
		size_t nops, uint8_t *out, size_t size, uint64_t *err_addr)
{
	uint8_t known[LOC_MAX_OBJECT];
	enum loc_status st = loc_read_pieces(c, ops, nops, out, known, size,
			err_addr);
	for (size_t i = 0; st == LOC_OK && i < size; i++)
		if (known[i] != LOC_KNOWN)
			return LOC_OPTIMIZED_OUT;
	return st;
}

enum loc_status loc_eval_value(const struct loc_ctx *c, const Dwarf_Op *ops,
		size_t nops, uint64_t *out)
{
	struct machine m = { .c = c };
	if (nops == 0)
		return LOC_OPTIMIZED_OUT;
	enum loc_status st = run(&m, ops, nops);
	if (st != LOC_OK)
		return st;
	if (m.have_cur && m.cur.kind == PIECE_REG
			&& frame_regs_vec(c->regs, m.cur.v)) {
		uint64_t v = 0;
		memcpy(&v, frame_regs_vec(c->regs, m.cur.v), 8);  /* LE hosts */
		*out = v;
	} else if (m.have_cur && m.cur.kind == PIECE_REG)
		*out = c->regs->val[m.cur.v];
	else if (m.have_cur && m.cur.kind == PIECE_VALUE)
		*out = m.cur.v;
	else if (m.have_cur && m.cur.kind == PIECE_IMPLICIT && m.cur.len <= 8) {
		uint64_t v = 0;
		for (size_t i = 0; i < m.cur.len; i++)
			v |= (uint64_t)m.cur.bytes[i] << (8 * i);
		*out = v;
	}
	else if (!m.have_cur && m.npieces == 0 && m.n > 0)
		*out = m.st[m.n - 1].v;
	else
		return LOC_OPTIMIZED_OUT;
	return LOC_OK;
}
