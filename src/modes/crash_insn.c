/* Gathering the faulting instruction (crash_insn.h): bounded reads of the
 * code around the pc through src/mem, decoded from the start of the
 * function when the stack layer knows it (x86 instructions have no fixed
 * length: only a run decoded from a known boundary that lands exactly on
 * the pc can show what came before it), then the addresses of the
 * faulting instruction's memory accesses and how they compare with
 * si_addr. */
#include "crash_insn.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#if defined(__x86_64__) || defined(__i386__)
#include <asm/ldt.h>
#endif

#include "ptrc/arch_regs.h"
#include "ptrc/mem.h"

/* How far back from the pc a function start is trusted, and what is read
 * after the pc. */
#define MAX_BACK 4096
#define AFTER_BYTES ((CRASH_CODE_AFTER + 1) * DISASM_MAX_INSN)

/* The real frame of T whose pc is PC: its symbol and where it starts, or
 * false. An activation frame's symbol offset is from pc itself, a
 * caller's from pc - 1 (ptrc/stack.h). */
static bool function_at(const struct stack_thread *t, uint64_t pc,
			const char **name, uint64_t *start)
{
	for (size_t i = 0; t && i < t->nframes; i++) {
		const struct stack_frame *f = &t->frames[i];
		if (f->pc != pc || f->inlined)
			continue;
		uint64_t lookup = f->activation ? pc : pc - 1;
		if (!f->function || f->function_offset > MAX_BACK ||
		    f->function_offset > lookup)
			return false;
		*name = f->function;
		*start = lookup - f->function_offset;
		return true;
	}
	return false;
}

/* Code from START (or FOCUS when START is unreadable) to a little past
 * FOCUS into BUF; returns the bytes read and moves *START if needed. */
static size_t read_code(pid_t tid, uint64_t *start, uint64_t focus,
			uint8_t *buf, size_t size)
{
	size_t want = (size_t)(focus - *start) + AFTER_BYTES;
	if (want > size)
		want = size;
	ssize_t n = mem_read(tid, *start, buf, want);
	if (n <= 0 || (uint64_t)n <= focus - *start) {
		*start = focus;
		n = mem_read(tid, focus, buf, AFTER_BYTES);
	}
	return n > 0 ? (size_t)n : 0;
}

/* i386 keeps the fs/gs bases in the GDT, reached by the selector. */
static void segment_bases(pid_t tid, const struct reg_layout *l,
			  const void *regs, struct disasm_segments *seg)
{
	int fs_base = reg_find(l, "fs_base"), gs_base = reg_find(l, "gs_base");
	if (fs_base != REG_NONE && gs_base != REG_NONE) {
		seg->fs_known = seg->gs_known = true;
		seg->fs = reg_get(l, regs, fs_base);
		seg->gs = reg_get(l, regs, gs_base);
		return;
	}
#if (defined(__x86_64__) || defined(__i386__)) && defined(PTRACE_GET_THREAD_AREA)
	if (l->arch != PTRC_ARCH_I386)
		return;
	static const char *const names[2] = { "fs", "gs" };
	for (int i = 0; i < 2; i++) {
		uint64_t sel = reg_get(l, regs, reg_find(l, names[i]));
		struct user_desc desc = { 0 };
		if ((sel & 4) || sel < 8 ||  /* an LDT selector, or null */
		    ptrace(PTRACE_GET_THREAD_AREA, tid, (void *)(uintptr_t)(sel >> 3),
			   &desc) != 0)
			continue;
		*(i ? &seg->gs : &seg->fs) = desc.base_addr;
		*(i ? &seg->gs_known : &seg->fs_known) = true;
	}
#else
	(void)tid;
#endif
}

/* Decode around FOCUS; the instruction at FOCUS (AT_RETURN: the one
 * ending there) is marked. */
static void decode_around(struct crash_code *c, pid_t tid,
			  const struct stack_thread *t, uint64_t focus)
{
	uint8_t buf[MAX_BACK + AFTER_BYTES];
	uint64_t start = focus;
	bool known = function_at(t, focus, &c->function, &c->function_start);
	if (known)
		start = c->function_start;
	else if (c->arch == PTRC_ARCH_AARCH64 && focus >= 4 * CRASH_CODE_BEFORE)
		start = focus - 4 * CRASH_CODE_BEFORE;  /* fixed length */
	size_t len = read_code(tid, &start, focus, buf, sizeof buf);
	const char *error = NULL;
	int at = -1;
	int n = disasm_window(c->arch, buf, len, start, focus,
			      CRASH_CODE_BEFORE + c->at_return, CRASH_CODE_AFTER,
			      c->insns, CRASH_CODE_MAX, &at, &error);
	c->ninsns = n > 0 ? (size_t)n : 0;
	c->before_aligned = at > 0;
	c->mark = at;
	if (c->at_return)
		c->mark = at > 0 && c->insns[at - 1].is_call &&
			  c->insns[at - 1].address + c->insns[at - 1].size == focus ?
			  at - 1 : -1;
	if (n < 0 || (at < 0 && !c->at_return))
		snprintf(c->unavailable, sizeof c->unavailable, "%s",
			 error ? error : "no instruction decoded");
}

/* pc unreadable (a call through a NULL or wild pointer): the call that
 * jumped there, before the return address (x86: at sp; aarch64: in lr). */
static void decode_caller(struct crash_code *c, pid_t tid,
			  const struct reg_layout *l, const void *regs,
			  const struct stack_thread *t)
{
	uint64_t ret = 0;
	bool have = l->lr != REG_NONE ? (ret = reg_get(l, regs, l->lr), true) :
		mem_read_word(tid, reg_get(l, regs, l->sp),
			      arch_word_size(l->arch), &ret) == 0;
	snprintf(c->unavailable, sizeof c->unavailable, "the code at pc "
		 "0x%" PRIx64 " is not readable", c->pc);
	if (!have || ret < 2)
		return;
	c->at_return = true;
	c->return_address = ret;
	decode_around(c, tid, t, ret);
	if (c->mark >= 0)
		return;
	/* No function start: decode backwards, trusted when exactly one
	 * call instruction ends at the return address. */
	uint8_t code[DISASM_MAX_INSN];
	uint64_t from = ret - (ret < sizeof code ? ret : sizeof code);
	ssize_t got = mem_read(tid, from, code, (size_t)(ret - from));
	if (got != (ssize_t)(ret - from) && (ret & ~(uint64_t)4095) > from) {
		from = ret & ~(uint64_t)4095;  /* the page before may be unmapped */
		got = mem_read(tid, from, code, (size_t)(ret - from));
	}
	c->function = NULL;
	c->ninsns = 0;
	if (got == (ssize_t)(ret - from) &&
	    disasm_call_before(c->arch, code, (size_t)got, ret, &c->insns[0]) == 1) {
		c->ninsns = 1;
		c->mark = 0;
	}
}

static void check_text(struct crash_code *c, enum crash_code_check check,
		       const char *fmt, uint64_t value)
{
	c->check = check;
	snprintf(c->check_text, sizeof c->check_text, fmt, value);
}

/* Which access faulted, by si_addr. */
static void check_address(struct crash_code *c, const siginfo_t *si)
{
	uint64_t addr = (uint64_t)(uintptr_t)si->si_addr;
	if (c->arch == PTRC_ARCH_I386)
		addr = (uint32_t)addr;
	c->matched = -1;
	if (c->at_return || addr == c->pc) {
		check_text(c, CRASH_CHECK_FETCH, "si_addr is the pc: the fault "
			   "is fetching the instruction at 0x%" PRIx64, addr);
		return;
	}
	/* aarch64: the kernel clears a pointer's top byte (a tag the CPU
	 * ignores) in si_addr; compare without it there. */
	uint64_t mask = c->arch == PTRC_ARCH_AARCH64 ? (1ull << 56) - 1 : ~0ull;
	for (size_t i = 0; i < c->naccesses; i++)
		if (c->accesses[i].known &&
		    (c->accesses[i].address & mask) == (addr & mask)) {
			c->matched = (int)i;
			check_text(c, CRASH_CHECK_MATCH, i ? "si_addr 0x%" PRIx64
				   " is this instruction's later access (the "
				   "one marked), not its first" :
				   "matches si_addr 0x%" PRIx64, addr);
			return;
		}
	for (size_t i = 0; i < c->naccesses; i++) {
		const struct disasm_access *a = &c->accesses[i];
		if (a->known && a->size && addr > a->address &&
		    addr - a->address < a->size) {
			c->matched = (int)i;
			check_text(c, CRASH_CHECK_INSIDE, "si_addr 0x%" PRIx64
				   " is inside the access: it crosses into a "
				   "page that is not accessible", addr);
			return;
		}
	}
	if (si->si_code == SI_KERNEL && c->arch != PTRC_ARCH_AARCH64 && addr == 0)
		check_text(c, CRASH_CHECK_NO_ADDR, "si_addr is %" PRIu64 ": a general "
			   "protection fault (a non-canonical address, or a "
			   "privileged access) does not say the address", addr);
	else if (c->naccesses)
		check_text(c, CRASH_CHECK_DIFFERS, "no computed address is "
			   "si_addr 0x%" PRIx64, addr);
}

void crash_code_collect(struct crash_code *c, pid_t tid, const void *regs,
			size_t regs_size, const siginfo_t *si,
			const struct stack_thread *t)
{
	memset(c, 0, sizeof *c);
	c->mark = c->matched = -1;
	const struct reg_layout *l = reg_layout_by_size(regs_size);
	if (!l)
		return;
	c->present = true;
	c->arch = l->arch;
	c->pc = reg_get(l, regs, l->pc);
	/* A signal a process sent (kill, abort's tgkill) names no faulting
	 * instruction: the pc is wherever the thread was. */
	if (si->si_code <= 0) {
		snprintf(c->unavailable, sizeof c->unavailable, "no instruction "
			 "faulted: the signal was sent by a process");
		return;
	}
	if (!disasm_available()) {
		snprintf(c->unavailable, sizeof c->unavailable, "%s",
			 DISASM_UNAVAILABLE);
		return;
	}
	uint8_t probe;
	if (mem_read(tid, c->pc, &probe, 1) != 1)
		decode_caller(c, tid, l, regs, t);
	else
		decode_around(c, tid, t, c->pc);
	bool memory_fault = (si->si_signo == SIGSEGV || si->si_signo == SIGBUS) &&
			    si->si_code > 0;
	if (!memory_fault)
		return;
	if (c->mark >= 0 && !c->at_return) {
		struct disasm_segments seg = { 0 };
		segment_bases(tid, l, regs, &seg);
		int n = disasm_accesses(&c->insns[c->mark], l, regs, &seg,
					c->accesses, DISASM_MAX_ACCESSES);
		c->naccesses = n > 0 ? (size_t)n : 0;
	}
	check_address(c, si);
}
