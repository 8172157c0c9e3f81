/* Registers per frame: frame 0's from the register set, each caller's
 * from the CFI of the frame below (.eh_frame, else .debug_frame). Only
 * what a call preserves is carried up; see frame_regs.h. */
#include "frame_regs.h"

#include <dwarf.h>
#include <elf.h>
#include <elfutils/libdwfl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>

#include "dwarf_loc.h"
#include "ptrc/mem.h"
#include "session.h"

void frame_regs_from_set(struct frame_regs *r, const struct reg_layout *l,
		const void *set)
{
	*r = (struct frame_regs){0};
	for (unsigned n = 0; n < l->ndwarf_regs && n < FRAME_REGS_MAX; n++) {
		if (l->dwarf_regs[n] == REG_NONE)
			continue;
		r->val[n] = reg_get(l, set, l->dwarf_regs[n]);
		r->known |= (uint64_t)1 << n;
	}
	r->pc = reg_get(l, set, l->pc);
}

void frame_regs_read_vec(struct frame_regs *r, const struct reg_layout *l,
		pid_t tid)
{
	uint8_t set[1024];  /* x86 fxsave 512, aarch64 fpsimd 528 */
	struct iovec iov = { .iov_base = set, .iov_len = sizeof set };
	r->vec_known = 0;
	unsigned count = l->vec_count < FRAME_VEC_MAX ? l->vec_count
		: FRAME_VEC_MAX;
	if (!l->vec_regset || ptrace(PTRACE_GETREGSET, tid,
			(void *)(uintptr_t)l->vec_regset, &iov) != 0)
		return;
	r->vec_first = l->vec_dwarf_first;
	for (unsigned k = 0; k < count; k++) {
		size_t at = l->vec_offset + (size_t)k * FRAME_VEC_SIZE;
		if (at + FRAME_VEC_SIZE > iov.iov_len)
			break;
		memcpy(r->vec[k], set + at, FRAME_VEC_SIZE);
		r->vec_known |= (uint32_t)1 << k;
	}
}

const struct reg_layout *frame_regs_read_set(pid_t tid, void *set)
{
	struct iovec iov = { .iov_base = set, .iov_len = REGS_MAX_SIZE };
	if (ptrace(PTRACE_GETREGSET, tid, (void *)NT_PRSTATUS, &iov) != 0)
		return NULL;
	return reg_layout_by_size(iov.iov_len);
}

static Dwarf_Frame *cfi_frame(struct stack_session *s, uint64_t lookup)
{
	Dwfl_Module *mod = dwfl_addrmodule(s->dwfl, lookup);
	if (!mod)
		return NULL;
	Dwarf_Addr bias;
	Dwarf_Frame *frame = NULL;
	Dwarf_CFI *cfi = dwfl_module_eh_cfi(mod, &bias);
	if (cfi && dwarf_cfi_addrframe(cfi, lookup - bias, &frame) == 0)
		return frame;
	cfi = dwfl_module_dwarf_cfi(mod, &bias);
	if (cfi && dwarf_cfi_addrframe(cfi, lookup - bias, &frame) == 0)
		return frame;
	return NULL;
}

/* The caller's register REGNO per FRAME's rule, into CALLER. */
static void recover(Dwarf_Frame *frame, const struct loc_ctx *c, int regno,
		bool preserved, struct frame_regs *caller)
{
	Dwarf_Op mem[3], *ops;
	size_t nops;
	const struct frame_regs *cur = c->regs;
	uint64_t bit = (uint64_t)1 << regno;
	if (dwarf_frame_register(frame, regno, mem, &ops, &nops) != 0)
		return;
	if (nops == 0) {
		/* ops NULL: "same value"; else undefined. A register the ABI
		 * has a call preserve is the same where the CFI has no rule
		 * for it (gcc writes rules for saves only), as gdb reads it:
		 * libdw 0.188's x86_64 defaults leave rbx undefined (they name
		 * register 0 for it), which hid every value kept in rbx. */
		if ((!ops || preserved) && (cur->known & bit)) {
			caller->val[regno] = cur->val[regno];
			caller->known |= bit;
		}
		return;
	}
	uint64_t v;
	if (ops[nops - 1].atom == DW_OP_stack_value) {
		if (loc_eval_value(c, ops, nops - 1, &v) != LOC_OK)
			return;
	} else {
		uint64_t addr;
		if (loc_eval_value(c, ops, nops, &addr) != LOC_OK
				|| mem_read_word(c->tid, addr, c->addr_size, &v) != 0)
			return;
	}
	caller->val[regno] = v;
	caller->known |= bit;
}

bool frame_regs_step(struct stack_session *s, pid_t tid,
		const struct reg_layout *l, struct frame_regs *cur,
		uint64_t lookup, struct frame_regs *caller)
{
	*caller = (struct frame_regs){0};
	Dwarf_Frame *frame = cfi_frame(s, lookup);
	if (!frame)
		return false;
	struct loc_ctx c = { .tid = tid, .addr_size = l->regs[l->pc].size,
		.regs = cur };
	Dwarf_Op *ops;
	size_t nops;
	uint64_t cfa;
	if (dwarf_frame_cfa(frame, &ops, &nops) == 0 && nops > 0
			&& loc_eval_value(&c, ops, nops, &cfa) == LOC_OK) {
		cur->cfa = cfa;
		cur->cfa_known = true;
	}
	for (unsigned n = 0; n < FRAME_REGS_MAX && n < l->ndwarf_regs; n++)
		if (l->dwarf_callee_saved >> n & 1)
			recover(frame, &c, (int)n, true, caller);
	int ra = dwarf_frame_info(frame, NULL, NULL, NULL);
	struct frame_regs ret = {0};
	if (ra >= 0 && ra < FRAME_REGS_MAX) {
		recover(frame, &c, ra, false, &ret);
		caller->pc = ret.val[ra];
	}
	free(frame);
	if (!cur->cfa_known || ra < 0 || ra >= FRAME_REGS_MAX
			|| !(ret.known >> ra & 1)) {
		caller->known = 0;
		return false;
	}
	/* The caller's stack pointer is the CFA on every architecture here. */
	int sp = -1;
	for (unsigned n = 0; n < l->ndwarf_regs; n++)
		if (l->dwarf_regs[n] == l->sp)
			sp = (int)n;
	if (sp >= 0) {
		caller->val[sp] = cur->cfa;
		caller->known |= (uint64_t)1 << sp;
	}
	return true;
}
