/* A frame's registers by DWARF number: the crashed (or stopped) thread's
 * own for frame 0, those CFI recovers for each caller. In an outer frame
 * only the registers a call preserves (the layout's dwarf_callee_saved)
 * and the stack pointer are known; a value that needs any other register
 * is <optimized out>, never guessed. */
#ifndef PTRC_STACK_FRAME_REGS_H
#define PTRC_STACK_FRAME_REGS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "ptrc/arch_regs.h"

#define FRAME_REGS_MAX 64
#define FRAME_VEC_MAX 32       /* vector registers (xmm, v), frame 0 only */
#define FRAME_VEC_SIZE 16

struct stack_session;

struct frame_regs {
	uint64_t val[FRAME_REGS_MAX];
	uint64_t known;        /* bit N: val[N] holds register N */
	uint64_t pc;
	bool cfa_known;        /* cfa filled by frame_regs_step */
	uint64_t cfa;
	/* Vector register K (DWARF number vec_first + K): frame 0's only, a
	 * call preserves none (aarch64's d8-d15 are left unknown too). */
	unsigned vec_first;
	uint32_t vec_known;
	uint8_t vec[FRAME_VEC_MAX][FRAME_VEC_SIZE];
};

/* Frame 0 from a register set laid out as L says. */
void frame_regs_from_set(struct frame_regs *r, const struct reg_layout *l,
		const void *set);

/* Reads frame 0's vector registers (the layout's vec_regset) of the
 * ptrace-stopped TID into R; none known when the kernel gives none. */
void frame_regs_read_vec(struct frame_regs *r, const struct reg_layout *l,
		pid_t tid);

/* The bytes of vector register REGNO (a DWARF number) in R, or NULL.
 * (Inline: the expression machine reads it, and frame_regs.c runs the
 * machine.) */
static inline const uint8_t *frame_regs_vec(const struct frame_regs *r,
		uint64_t regno)
{
	if (!r || regno < r->vec_first || regno - r->vec_first >= FRAME_VEC_MAX
			|| !(r->vec_known >> (regno - r->vec_first) & 1))
		return NULL;
	return r->vec[regno - r->vec_first];
}

/* Reads TID's register set (PTRACE_GETREGSET NT_PRSTATUS) into SET (room
 * for REGS_MAX_SIZE bytes); its layout, or NULL. */
const struct reg_layout *frame_regs_read_set(pid_t tid, void *set);

/* From CUR (a frame whose pc is looked up at LOOKUP: the pc, or pc - 1 for
 * a return address) to its caller: sets CUR->cfa, fills CALLER. Returns
 * false when the CFI says nothing of LOOKUP (CALLER knows no register). */
bool frame_regs_step(struct stack_session *s, pid_t tid,
		const struct reg_layout *l, struct frame_regs *cur,
		uint64_t lookup, struct frame_regs *caller);

#endif
