/* DW_OP_entry_value, as gdb recovers it: a parameter's value at the
 * function's entry is the value the caller's call site gave it
 * (DW_TAG_call_site_parameter's DW_AT_call_value), computed in the
 * caller's frame. */
#ifndef PTRC_STACK_CALL_SITE_H
#define PTRC_STACK_CALL_SITE_H

#include <elfutils/libdw.h>
#include <stdbool.h>
#include <stdint.h>

#include "frame_regs.h"

struct stack_session;

struct call_site_caller {
	struct stack_session *s;
	pid_t tid;
	unsigned addr_size;
	struct frame_regs regs;     /* the caller's, CFA included */
	uint64_t return_pc;         /* the caller frame's pc */
	bool valid;                 /* regs and return_pc are the caller's */
	Dwarf_Die callee;           /* the subprogram the values belong to */
	bool has_callee;
};

/* The entry value of the location INNER (one DW_OP_regN or regx): false
 * when the call site, or the parameter, or its value is not known. */
bool call_site_entry_value(void *caller, const Dwarf_Op *inner, size_t ninner,
		uint64_t *out);

#endif
