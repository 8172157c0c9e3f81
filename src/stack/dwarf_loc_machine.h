/* The DWARF expression machine's state, shared by dwarf_loc.c (the
 * machine) and dwarf_loc_typed.c (DWARF 5's typed stack operations). Not
 * for use outside these two. */
#ifndef PTRC_STACK_DWARF_LOC_MACHINE_H
#define PTRC_STACK_DWARF_LOC_MACHINE_H

#include <stdbool.h>
#include <stdint.h>

#include "dwarf_loc.h"

#define LOC_STACK 64
#define LOC_MAX_STEPS 1000
#define LOC_MAX_PIECES 32

enum piece_kind { PIECE_MEM, PIECE_REG, PIECE_VALUE, PIECE_IMPLICIT, PIECE_GONE,
	PIECE_SYNTHETIC };  /* DW_OP_implicit_pointer: a pointer to an object
			     * that has no address (gdb's <synthetic pointer>) */

struct piece {
	enum piece_kind kind;
	uint64_t v;                 /* address, register number or value */
	const uint8_t *bytes;       /* PIECE_IMPLICIT */
	size_t len;                 /* PIECE_IMPLICIT's bytes */
	size_t size;                /* bytes of the object; 0: all the rest */
};

/* A stack entry's type: SIZE 0 is DWARF's generic type (an address-sized
 * integer); else a base type of SIZE bytes (at most 8) and encoding ENC
 * (DW_ATE_*). V holds its bits, zero-extended. */
struct loc_type {
	uint8_t size;
	uint8_t enc;
};

struct loc_slot {
	uint64_t v;
	struct loc_type t;
};

struct machine {
	const struct loc_ctx *c;
	struct loc_slot st[LOC_STACK];
	int n;
	enum loc_status status;
	uint64_t err_addr;
	struct piece pieces[LOC_MAX_PIECES];
	int npieces;
	struct piece cur;           /* the location being built */
	bool have_cur;
};

static inline bool machine_push_slot(struct machine *m, struct loc_slot s)
{
	if (m->n == LOC_STACK)
		return false;
	m->st[m->n++] = s;
	return true;
}

static inline bool machine_pop_slot(struct machine *m, struct loc_slot *s)
{
	if (m->n == 0)
		return false;
	*s = m->st[--m->n];
	return true;
}

/* Typed operations (dwarf_loc_typed.c): 1 done, 0 failed (the object is
 * then <optimized out>), -1 not one of them. */
int loc_typed_op(struct machine *m, const Dwarf_Op *op);
/* A binary or unary operation with a typed operand: as loc_typed_op. */
int loc_typed_arith(struct machine *m, uint8_t atom);
/* The type of a base type DIE (DW_AT_byte_size <= 8, an integer, boolean
 * or 4/8-byte float encoding), or false. */
bool loc_base_type(Dwarf_Die *die, struct loc_type *t);
/* The base type a typed operation OP of an expression of unit UNIT
 * names. */
bool loc_op_type(Dwarf_Die *unit, const Dwarf_Op *op, struct loc_type *t);

#endif
