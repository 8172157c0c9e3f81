/* DWARF 5's typed stack (DW_OP_const_type, regval_type, deref_type,
 * convert, reinterpret, and their GNU forms): what gcc writes for values
 * in floating-point registers and for conversions. A typed value carries
 * its base type (dwarf_loc_machine.h); arithmetic is done in that type,
 * as gdb does, and only on two operands of the same type. A type this
 * does not know (wider than 8 bytes, long double, decimal or complex
 * floats) fails the expression: <optimized out>, never a guessed value. */
#include <dwarf.h>
#include <string.h>

#include "dwarf_loc_machine.h"
#include "ptrc/mem.h"

bool loc_base_type(Dwarf_Die *die, struct loc_type *t)
{
	Dwarf_Attribute attr;
	Dwarf_Word size, enc;
	if (dwarf_tag(die) != DW_TAG_base_type
			|| dwarf_formudata(dwarf_attr(die, DW_AT_byte_size, &attr),
				&size) != 0
			|| dwarf_formudata(dwarf_attr(die, DW_AT_encoding, &attr),
				&enc) != 0
			|| size == 0 || size > 8)
		return false;
	switch (enc) {
	case DW_ATE_signed: case DW_ATE_signed_char: case DW_ATE_unsigned:
	case DW_ATE_unsigned_char: case DW_ATE_boolean:
		break;
	case DW_ATE_float:
		if (size != 4 && size != 8)
			return false;
		break;
	default:
		return false;
	}
	*t = (struct loc_type){ .size = (uint8_t)size, .enc = (uint8_t)enc };
	return true;
}

/* The DIE at CU-relative OFFSET of UNIT: what typed operations name.
 * (libdw 0.188's dwarf_getlocation_die takes DW_OP_regval_type's offset
 * as absolute, and an attribute of a location list entry may not carry
 * its real unit: the unit is the caller's.) */
static bool unit_die(Dwarf_Die *unit, Dwarf_Word offset, Dwarf_Die *die)
{
	if (!unit || !unit->cu || offset == 0)
		return false;
	Dwarf_Off start = dwarf_dieoffset(unit) - dwarf_cuoffset(unit);
	Dwarf *dbg = dwarf_cu_getdwarf(unit->cu);
	return dbg && dwarf_offdie(dbg, start + offset, die)
		&& dwarf_dieoffset(die) == start + offset;
}

bool loc_op_type(Dwarf_Die *unit, const Dwarf_Op *op, struct loc_type *t)
{
	Dwarf_Word offset;
	switch (op->atom) {
	case DW_OP_regval_type: case DW_OP_GNU_regval_type:
	case DW_OP_deref_type: case DW_OP_GNU_deref_type:
		offset = op->number2;
		break;
	default:  /* const_type, convert, reinterpret */
		offset = op->number;
	}
	Dwarf_Die die;
	return unit_die(unit, offset, &die) && loc_base_type(&die, t);
}

static bool op_type(struct machine *m, const Dwarf_Op *op, struct loc_type *t)
{
	return loc_op_type(m->c->unit, op, t);
}

static uint64_t size_mask(unsigned size)
{
	return size >= 8 ? ~(uint64_t)0 : ((uint64_t)1 << (8 * size)) - 1;
}

static bool is_signed(struct loc_type t)
{
	return t.size == 0 || t.enc == DW_ATE_signed
		|| t.enc == DW_ATE_signed_char;
}

/* V of type T as a signed 64-bit integer (sign-extended when T is). */
static int64_t as_signed(uint64_t v, struct loc_type t)
{
	unsigned bits = 8 * (t.size ? t.size : 8);
	if (bits < 64 && is_signed(t) && (v >> (bits - 1) & 1))
		v |= ~size_mask(bits / 8);
	return (int64_t)v;
}

static double as_double(struct loc_slot s)
{
	if (s.t.size == 4) {
		float f;
		uint32_t bits = (uint32_t)s.v;
		memcpy(&f, &bits, sizeof f);
		return f;
	}
	double d;
	memcpy(&d, &s.v, sizeof d);
	return d;
}

static uint64_t float_bits(double d, unsigned size)
{
	if (size == 4) {
		float f = (float)d;
		uint32_t bits;
		memcpy(&bits, &f, sizeof bits);
		return bits;
	}
	uint64_t bits;
	memcpy(&bits, &d, sizeof bits);
	return bits;
}

static bool push_typed(struct machine *m, uint64_t v, struct loc_type t)
{
	return machine_push_slot(m, (struct loc_slot){
		.v = v & size_mask(t.size ? t.size : m->c->addr_size), .t = t });
}

/* A register's value, read as type T: a general register known in this
 * frame, or the low bytes of a vector one. */
static bool regval(struct machine *m, uint64_t regno, struct loc_type t)
{
	const struct frame_regs *r = m->c->regs;
	const uint8_t *vec = frame_regs_vec(r, regno);
	uint64_t v = 0;
	if (vec)
		memcpy(&v, vec, 8);  /* little-endian targets only */
	else if (r && regno < FRAME_REGS_MAX && (r->known >> regno & 1))
		v = r->val[regno];
	else
		return false;
	return push_typed(m, v, t);
}

static bool deref_typed(struct machine *m, unsigned size, struct loc_type t)
{
	struct loc_slot addr;
	uint8_t buf[8] = {0};
	if (size != t.size || !machine_pop_slot(m, &addr)
			|| addr.t.enc == DW_ATE_float)
		return false;
	uint64_t at = m->c->addr_size == 4 ? (uint32_t)addr.v : addr.v;
	if (mem_read(m->c->tid, at, buf, size) != (ssize_t)size) {
		m->status = LOC_MEM_ERROR;
		m->err_addr = at;
		return false;
	}
	uint64_t v = 0;
	memcpy(&v, buf, size);  /* little-endian targets only */
	return push_typed(m, v, t);
}

/* DW_OP_convert of the top entry to T (size 0: the generic type). */
static bool convert(struct machine *m, struct loc_type t)
{
	struct loc_slot s;
	if (!machine_pop_slot(m, &s))
		return false;
	bool from_float = s.t.enc == DW_ATE_float && s.t.size;
	bool to_float = t.enc == DW_ATE_float && t.size;
	if (from_float && to_float)
		return push_typed(m, float_bits(as_double(s), t.size), t);
	if (from_float) {
		double d = as_double(s);
		if (!(d > -9.2e18 && d < 9.2e18))
			return false;  /* NaN or out of range: no value */
		return push_typed(m, (uint64_t)(int64_t)d, t);
	}
	if (to_float) {
		if (s.t.size == 0)
			return false;  /* the generic type has no signedness */
		double d = is_signed(s.t) ? (double)as_signed(s.v, s.t)
			: (double)s.v;
		return push_typed(m, float_bits(d, t.size), t);
	}
	return push_typed(m, (uint64_t)as_signed(s.v, s.t), t);
}

static bool reinterpret(struct machine *m, struct loc_type t)
{
	struct loc_slot s;
	unsigned size = t.size ? t.size : m->c->addr_size;
	if (!machine_pop_slot(m, &s)
			|| (s.t.size ? s.t.size : m->c->addr_size) != size)
		return false;
	return push_typed(m, s.v, t);
}

int loc_typed_op(struct machine *m, const Dwarf_Op *op)
{
	struct loc_type t = {0};
	Dwarf_Attribute value;
	Dwarf_Block block;
	switch (op->atom) {
	case DW_OP_const_type: case DW_OP_GNU_const_type:
		if (!op_type(m, op, &t)
				|| dwarf_getlocation_attr(m->c->attr, op, &value) != 0
				|| dwarf_formblock(&value, &block) != 0
				|| block.length != t.size)
			return 0;
		uint64_t v = 0;
		memcpy(&v, block.data, t.size);  /* little-endian targets */
		return push_typed(m, v, t);
	case DW_OP_regval_type: case DW_OP_GNU_regval_type:
		return op_type(m, op, &t) && regval(m, op->number, t);
	case DW_OP_deref_type: case DW_OP_GNU_deref_type:
		return op_type(m, op, &t)
			&& deref_typed(m, (unsigned)op->number, t);
	case DW_OP_convert: case DW_OP_GNU_convert:
		return (op->number == 0 || op_type(m, op, &t)) && convert(m, t);
	case DW_OP_reinterpret: case DW_OP_GNU_reinterpret:
		return (op->number == 0 || op_type(m, op, &t))
			&& reinterpret(m, t);
	}
	return -1;
}

static int compare(uint8_t atom, int order)
{
	switch (atom) {
	case DW_OP_eq: return order == 0;
	case DW_OP_ne: return order != 0;
	case DW_OP_lt: return order < 0;
	case DW_OP_gt: return order > 0;
	case DW_OP_le: return order <= 0;
	default: return order >= 0;  /* DW_OP_ge */
	}
}

static bool is_compare(uint8_t atom)
{
	return atom == DW_OP_eq || atom == DW_OP_ne || atom == DW_OP_lt
		|| atom == DW_OP_gt || atom == DW_OP_le || atom == DW_OP_ge;
}

static bool float_binary(struct machine *m, uint8_t atom, struct loc_slot a,
		struct loc_slot b)
{
	double x = as_double(a), y = as_double(b), r;
	if (is_compare(atom)) {
		if (x != x || y != y)  /* NaN: only ne holds */
			return machine_push_slot(m, (struct loc_slot){
				.v = atom == DW_OP_ne });
		return machine_push_slot(m, (struct loc_slot){
			.v = compare(atom, (x > y) - (x < y)) });
	}
	switch (atom) {
	case DW_OP_plus: r = x + y; break;
	case DW_OP_minus: r = x - y; break;
	case DW_OP_mul: r = x * y; break;
	case DW_OP_div: r = x / y; break;
	default: return false;
	}
	if (a.t.size == 4)  /* in float's precision, as the program did */
		r = (float)r;
	return push_typed(m, float_bits(r, a.t.size), a.t);
}

static bool int_binary(struct machine *m, uint8_t atom, struct loc_slot a,
		struct loc_slot b)
{
	struct loc_type t = a.t;
	bool sign = is_signed(t);
	int64_t sa = as_signed(a.v, t), sb = as_signed(b.v, b.t);
	unsigned bits = 8 * t.size;
	if (is_compare(atom))
		return machine_push_slot(m, (struct loc_slot){ .v = compare(atom,
			sign ? (sa > sb) - (sa < sb) : (a.v > b.v) - (a.v < b.v)) });
	uint64_t r;
	switch (atom) {
	case DW_OP_and: r = a.v & b.v; break;
	case DW_OP_or: r = a.v | b.v; break;
	case DW_OP_xor: r = a.v ^ b.v; break;
	case DW_OP_plus: r = a.v + b.v; break;
	case DW_OP_minus: r = a.v - b.v; break;
	case DW_OP_mul: r = a.v * b.v; break;
	case DW_OP_shl: r = b.v < bits ? a.v << b.v : 0; break;
	case DW_OP_shr: r = b.v < bits ? a.v >> b.v : 0; break;
	case DW_OP_shra:
		r = (uint64_t)(sa >> (b.v < bits ? b.v : bits - 1));
		break;
	case DW_OP_div: case DW_OP_mod:
		if (b.v == 0 || (sign && sb == -1 && sa == INT64_MIN))
			return false;
		if (atom == DW_OP_div)
			r = sign ? (uint64_t)(sa / sb) : a.v / b.v;
		else
			r = sign ? (uint64_t)(sa % sb) : a.v % b.v;
		break;
	default:
		return false;
	}
	return push_typed(m, r, t);
}

static bool is_unary(uint8_t atom)
{
	return atom == DW_OP_abs || atom == DW_OP_neg || atom == DW_OP_not;
}

static bool unary(struct machine *m, uint8_t atom, struct loc_slot a)
{
	if (a.t.enc == DW_ATE_float) {
		double x = as_double(a);
		if (atom == DW_OP_not)
			return false;
		return push_typed(m, float_bits(atom == DW_OP_neg || x < 0
			? -x : x, a.t.size), a.t);
	}
	int64_t x = as_signed(a.v, a.t);
	uint64_t r = atom == DW_OP_not ? ~a.v : atom == DW_OP_neg
		? (uint64_t)-x : is_signed(a.t) && x < 0 ? (uint64_t)-x : a.v;
	return push_typed(m, r, a.t);
}

int loc_typed_arith(struct machine *m, uint8_t atom)
{
	struct loc_slot a, b;
	if (is_unary(atom))
		return machine_pop_slot(m, &a) && unary(m, atom, a);
	if (!machine_pop_slot(m, &b) || !machine_pop_slot(m, &a))
		return 0;
	bool shift = atom == DW_OP_shl || atom == DW_OP_shr
		|| atom == DW_OP_shra;
	if (shift && a.t.enc != DW_ATE_float && b.t.enc != DW_ATE_float
			&& a.t.size)
		return int_binary(m, atom, a, b);
	/* DWARF 5: both operands of one type (a generic one stands for any
	 * integer of the address's size, not for another type). */
	if (a.t.size != b.t.size || a.t.enc != b.t.enc)
		return 0;
	if (a.t.enc == DW_ATE_float)
		return float_binary(m, atom, a, b);
	return int_binary(m, atom, a, b);
}
