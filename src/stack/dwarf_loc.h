/* DWARF location expressions evaluated against a stopped frame: libdw
 * parses them, this small bounded stack machine runs them. */
#ifndef PTRC_STACK_DWARF_LOC_H
#define PTRC_STACK_DWARF_LOC_H

#include <elfutils/libdw.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "frame_regs.h"

struct loc_ctx {
	pid_t tid;
	unsigned addr_size;           /* 4 or 8 */
	const struct frame_regs *regs;
	uint64_t bias;                /* the module's: DW_OP_addr + bias */
	bool has_frame_base;          /* DW_OP_fbreg's base */
	uint64_t frame_base;
	Dwarf_Attribute *attr;        /* the attribute the ops came from, for
	                               * DW_OP_implicit_value; may be NULL */
	Dwarf_Die *unit;              /* its unit's DIE, where typed operations'
	                               * types are; NULL: no typed operations */
	/* DW_OP_entry_value: the value INNER (a register) had at the
	 * function's entry (call_site.c); NULL: never known. */
	bool (*entry_value)(void *arg, const Dwarf_Op *inner, size_t ninner,
			uint64_t *out);
	void *entry_arg;
};

enum loc_status {
	LOC_OK,
	LOC_OPTIMIZED_OUT,     /* a register or entry value not known here */
	LOC_MEM_ERROR,         /* the object's memory is unreadable */
};

/* Reads the SIZE bytes (at most LOC_MAX_OBJECT) of the object OPS
 * describes into OUT. LOC_MEM_ERROR sets *ERR_ADDR. */
#define LOC_MAX_OBJECT 4096
enum loc_status loc_read_object(const struct loc_ctx *c, const Dwarf_Op *ops,
		size_t nops, uint8_t *out, size_t size, uint64_t *err_addr);

/* What each byte of an object read by loc_read_pieces is. */
enum {
	LOC_UNKNOWN,        /* an empty piece, or a register not known in
	                     * this frame: gdb's <optimized out> part */
	LOC_KNOWN,
	LOC_PAST_PIECES,    /* after the last piece: the DWARF says nothing
	                     * (gdb's reading of these varies: see values.c) */
	LOC_SYNTHETIC,      /* DW_OP_implicit_pointer: a pointer to an object
	                     * with no address, gdb's <synthetic pointer> */
};

/* As loc_read_object, for an object some of whose pieces may not be
 * known: KNOWN[i] (SIZE bytes) says what OUT[i] is (0 where not known).
 * LOC_OK when at least one byte is known. */
enum loc_status loc_read_pieces(const struct loc_ctx *c, const Dwarf_Op *ops,
		size_t nops, uint8_t *out, uint8_t *known, size_t size,
		uint64_t *err_addr);

/* The value a DWARF expression (not a location: CFA rules, a frame base
 * given as breg) computes; a register location gives the register's
 * value. */
enum loc_status loc_eval_value(const struct loc_ctx *c, const Dwarf_Op *ops,
		size_t nops, uint64_t *out);

#endif
