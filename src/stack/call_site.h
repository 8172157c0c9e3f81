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
struct stack_thread;

/* Entry values are followed through at most this many callers (an entry
 * value in the caller's DW_AT_call_value is the caller's caller's...). */
#define CALL_SITE_MAX_DEPTH 4

struct call_site_caller {
	struct stack_session *s;
	pid_t tid;
	unsigned addr_size;
	struct frame_regs regs;     /* the caller's, CFA included */
	uint64_t return_pc;         /* the caller frame's pc */
	bool valid;                 /* regs and return_pc are the caller's */
	Dwarf_Die callee;           /* the subprogram the values belong to */
	bool has_callee;
	/* For the next caller up, made when an entry value needs it. */
	const struct stack_thread *t;
	const struct reg_layout *l;
	size_t frame;               /* the caller's real frame in t */
	struct frame_regs above;    /* the caller's caller's registers */
	bool above_ok;
	unsigned depth;             /* 1: the callee's own caller */
	struct call_site_caller *up;
	bool up_tried;
};

/* The caller of real frame END of T, whose registers CFI gave as NEXT
 * (NULL: unknown): C is valid when that caller's frame is the next one
 * the walk has. */
void call_site_caller_init(struct call_site_caller *c, struct stack_session *s,
		const struct stack_thread *t, size_t end,
		const struct reg_layout *l, const struct frame_regs *next);

/* Frees the callers further up that C made. */
void call_site_caller_free(struct call_site_caller *c);

/* Frames [I..] sharing one pc with frame I (the inlined ones, then the
 * real one, < N): the index of the real one. */
size_t call_site_group_end(const struct stack_thread *t, size_t i, size_t n);

/* The entry value of the location INNER (one DW_OP_regN, regx or
 * regval_type): false when the call site, or the parameter, or its value
 * is not known. */
bool call_site_entry_value(void *caller, const Dwarf_Op *inner, size_t ninner,
		uint64_t *out);

#endif
