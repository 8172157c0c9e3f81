/* The DWARF expression machine: a stack of at most LOC_STACK words, at
 * most LOC_MAX_STEPS operations (no branches: DW_OP_skip/bra are not
 * implemented, so nothing loops), pieces gathered into
 * the object's bytes. What the machine does not know (an operation it does
 * not implement, a register not recovered in this frame, an entry value)
 * makes the object <optimized out>: a value is never made up. */
#include "dwarf_loc.h"

#include <dwarf.h>
#include <string.h>

#include "ptrc/mem.h"

#define LOC_STACK 64
#define LOC_MAX_STEPS 1000
#define LOC_MAX_PIECES 32

enum piece_kind { PIECE_MEM, PIECE_REG, PIECE_VALUE, PIECE_IMPLICIT, PIECE_GONE };

struct piece {
	enum piece_kind kind;
	uint64_t v;                 /* address, register number or value */
	const uint8_t *bytes;       /* PIECE_IMPLICIT */
	size_t len;                 /* PIECE_IMPLICIT's bytes */
	size_t size;                /* bytes of the object; 0: all the rest */
};

struct machine {
	const struct loc_ctx *c;
	uint64_t st[LOC_STACK];
	int n;
	enum loc_status status;
	uint64_t err_addr;
	struct piece pieces[LOC_MAX_PIECES];
	int npieces;
	struct piece cur;           /* the location being built */
	bool have_cur;
};

static uint64_t mask(const struct machine *m, uint64_t v)
{
	return m->c->addr_size == 4 ? (uint32_t)v : v;
}

static bool push(struct machine *m, uint64_t v)
{
	if (m->n == LOC_STACK)
		return false;
	m->st[m->n++] = v;
	return true;
}

static bool pop(struct machine *m, uint64_t *v)
{
	if (m->n == 0)
		return false;
	*v = m->st[--m->n];
	return true;
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

/* Binary operations: pops B then A, pushes A op B. */
static bool binary(struct machine *m, uint8_t atom)
{
	uint64_t a, b;
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

/* DW_OP_entry_value's block, handed to the context's entry_value. */
static bool entry_value(struct machine *m, const Dwarf_Op *op, uint64_t *v)
{
	Dwarf_Attribute sub;
	Dwarf_Op *inner;
	size_t ninner;
	return m->c->entry_value && m->c->attr
		&& dwarf_getlocation_attr(m->c->attr, op, &sub) == 0
		&& dwarf_getlocation(&sub, &inner, &ninner) == 0
		&& m->c->entry_value(m->c->entry_arg, inner, ninner, v);
}

/* Operations that push a constant or a register-based address. */
static int push_op(struct machine *m, const Dwarf_Op *op)
{
	uint8_t a = op->atom;
	uint64_t v;
	if (a >= DW_OP_lit0 && a <= DW_OP_lit31)
		return push(m, a - DW_OP_lit0);
	if (a >= DW_OP_breg0 && a <= DW_OP_breg31)
		return reg_value(m, a - DW_OP_breg0, &v)
			&& push(m, mask(m, v + op->number));
	switch (a) {
	case DW_OP_addr:
		return push(m, mask(m, op->number + m->c->bias));
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
		if (!entry_value(m, op, &v)) {
			m->status = LOC_OPTIMIZED_OUT;
			return false;
		}
		return push(m, v);
	}
	return -1;  /* not a push */
}

/* Stack manipulation and arithmetic. -1: not one of these. */
static int stack_op(struct machine *m, const Dwarf_Op *op)
{
	uint64_t a, b, c;
	switch (op->atom) {
	case DW_OP_dup:
		return m->n > 0 && push(m, m->st[m->n - 1]);
	case DW_OP_drop:
		return pop(m, &a);
	case DW_OP_over:
		return m->n > 1 && push(m, m->st[m->n - 2]);
	case DW_OP_pick:
		return op->number < (uint64_t)m->n
			&& push(m, m->st[m->n - 1 - (int)op->number]);
	case DW_OP_swap:
		if (!pop(m, &a) || !pop(m, &b))
			return false;
		return push(m, a) && push(m, b);
	case DW_OP_rot:
		if (!pop(m, &a) || !pop(m, &b) || !pop(m, &c))
			return false;
		return push(m, a) && push(m, c) && push(m, b);
	case DW_OP_deref:
		return pop(m, &a) && deref(m, a, m->c->addr_size);
	case DW_OP_deref_size:
		return pop(m, &a) && deref(m, a, (unsigned)op->number);
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

/* Operations that name where the object is (or what it is). */
static bool location_op(struct machine *m, const Dwarf_Op *op)
{
	uint8_t a = op->atom;
	uint64_t v;
	if (a >= DW_OP_reg0 && a <= DW_OP_reg31)
		return reg_value(m, a - DW_OP_reg0, &v)
			&& set_location(m, PIECE_REG, a - DW_OP_reg0);
	switch (a) {
	case DW_OP_regx:
		return reg_value(m, op->number, &v)
			&& set_location(m, PIECE_REG, op->number);
	case DW_OP_stack_value:
		return pop(m, &v) && set_location(m, PIECE_VALUE, v);
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
	}
	/* DW_OP_entry_value, DW_OP_GNU_entry_value, implicit pointers, typed
	 * stack operations, calls, TLS...: not known here. */
	m->status = LOC_OPTIMIZED_OUT;
	return false;
}

/* Runs OPS; on success the pieces are in M. */
static enum loc_status run(struct machine *m, const Dwarf_Op *ops, size_t nops)
{
	if (nops > LOC_MAX_STEPS)
		return LOC_OPTIMIZED_OUT;
	for (size_t i = 0; i < nops; i++) {
		const Dwarf_Op *op = &ops[i];
		int done = push_op(m, op);
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
		uint64_t v = p->kind == PIECE_VALUE ? p->v : m->c->regs->val[p->v];
		if (size > 8 && p->kind == PIECE_REG)
			return LOC_OPTIMIZED_OUT;  /* a vector register: not read */
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
		break;
	}
	return LOC_OPTIMIZED_OUT;
}

enum loc_status loc_read_object(const struct loc_ctx *c, const Dwarf_Op *ops,
		size_t nops, uint8_t *out, size_t size, uint64_t *err_addr)
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
	for (int i = 0; i < m.npieces && at < size; i++) {
		size_t len = m.pieces[i].size ? m.pieces[i].size : size - at;
		if (len > size - at)
			len = size - at;
		st = piece_bytes(&m, &m.pieces[i], out + at, len);
		if (st == LOC_MEM_ERROR)
			*err_addr = m.err_addr;
		if (st != LOC_OK)
			return st;
		at += len;
	}
	return at == size ? LOC_OK : LOC_OPTIMIZED_OUT;
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
	if (m.have_cur && m.cur.kind == PIECE_REG)
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
		*out = m.st[m.n - 1];
	else
		return LOC_OPTIMIZED_OUT;
	return LOC_OK;
}
