/* Getting a thread past a breakpoint without it ever being lifted (other
 * threads keep running into it):
 *
 * - emulated: x86_64 `push REG` (most function entries) and aarch64's
 *   PC-relative instructions change registers and memory from ptrc;
 * - skipped: endbr64, bti and other no-ops;
 * - out of line: a copy of the instruction in a page ptrc maps into the
 *   tracee (near the module, so rip-relative operands still reach),
 *   followed by a jump back: the thread resumes at the copy and needs no
 *   further stop;
 * - single-stepped out of line: branches and calls, whose effect on the
 *   PC (and the return address they push) is then translated back.
 *
 * The scratch pages are mapped by making the stopped thread run an mmap
 * system call (a syscall instruction found in the process). */
#include "tracer.h"

#include <errno.h>
#include <stddef.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ptrc/mem.h"
#include "ptrc/syscalls.h"

#define SLOT_SIZE 32
#define PAGE_SIZE_LC 4096
#define SLOTS_PER_PAGE (PAGE_SIZE_LC / SLOT_SIZE)

/* Single-step T (stopped) by one instruction and wait for that, by its
 * own tid so that other tracees' stops stay queued. Signals that arrive
 * meanwhile are held (the first in *DELIVER, later ones re-sent). */
static int single_step(struct engine *e, struct tracee *t, int *deliver,
		       int *gone_status)
{
	pid_t tid = t->tid;
	for (int tries = 0; tries < 100; tries++) {
		if (ptrace(PTRACE_SINGLESTEP, tid, 0, 0) < 0 && errno != ESRCH)
			return -1;
		int status;
		pid_t got;
		while ((got = engine_wait(e, tid, 0, &status, NULL)) == 0)
			;  /* interrupted */
		if (got < 0)
			return -1;
		if (WIFEXITED(status) || WIFSIGNALED(status)) {
			*gone_status = status;
			return 1;
		}
		if (!WIFSTOPPED(status))
			continue;
		int sig = WSTOPSIG(status);
		if ((unsigned)status >> 16)
			continue;  /* an event stop: step on */
		if (sig == SIGTRAP) {
			siginfo_t si;
			/* The step's trap: TRAP_TRACE (aarch64), TRAP_BRKPT
			 * (x86_64). A step over aarch64's svc is reported at
			 * the syscall's exit (user_single_step_report) as
			 * SI_USER from no process; kill() names its sender. */
			if (ptrace(PTRACE_GETSIGINFO, tid, 0, &si) == 0 &&
			    (si.si_code > 0 ||
			     (si.si_code == SI_USER && si.si_pid == 0)))
				return 0;
		}
		if (!*deliver)
			*deliver = sig;
		else
			syscall(SYS_tgkill, t->tgid, tid, sig);
	}
	return -1;
}

/* The address of a syscall instruction in LP's process: the dynamic
 * linker's, the vDSO's, or any executable mapping's. */
static uint64_t find_syscall_insn(pid_t tid, pid_t tgid)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/maps", tgid);
	FILE *f = fopen(path, "re");
	if (!f)
		return 0;
	enum ptrc_arch arch = arch_host();
	const uint8_t x86[] = { 0x0f, 0x05 }, a64[] = { 0x01, 0x00, 0x00, 0xd4 };
	const uint8_t *pat = arch == PTRC_ARCH_X86_64 ? x86 : a64;
	size_t plen = arch == PTRC_ARCH_X86_64 ? 2 : 4;
	uint64_t found = 0;
	char line[512];
	static uint8_t buf[65536];
	size_t scanned = 0;
	for (int pass = 0; pass < 2 && !found; pass++) {
		rewind(f);
		while (!found && fgets(line, sizeof line, f)) {
			unsigned long start, end;
			char perms[8];
			if (sscanf(line, "%lx-%lx %7s", &start, &end, perms) != 3 ||
			    perms[2] != 'x')
				continue;
			bool preferred = strstr(line, "/ld-") || strstr(line, "[vdso]");
			if (preferred != (pass == 0))
				continue;
			for (uint64_t a = start; a < end && !found &&
			     scanned < (64u << 20); a += sizeof buf) {
				size_t want = end - a < sizeof buf ? end - a : sizeof buf;
				ssize_t n = mem_read(tid, a, buf, want);
				if (n <= 0)
					break;
				scanned += (size_t)n;
				for (size_t i = 0; i + plen <= (size_t)n; i += plen == 4 ? 4 : 1)
					if (memcmp(buf + i, pat, plen) == 0) {
						found = a + i;
						break;
					}
			}
		}
	}
	fclose(f);
	return found;
}

/* Make T (stopped at a breakpoint, registers REGS) map a page near HINT;
 * T's registers are put back. Returns the page's address or 0. */
static uint64_t inject_mmap(struct engine *e, struct lcall_process *lp,
			    struct tracee *t,
			    const struct lcall_regs *regs, uint64_t hint,
			    int *deliver, int *gone_status, int *gone)
{
	if (!lp->syscall_insn)
		lp->syscall_insn = find_syscall_insn(t->tid, lp->tgid);
	if (!lp->syscall_insn)
		return 0;
	const struct reg_layout *l = regs->layout;
	long nr = syscall_number(l->arch, "mmap");
	if (nr < 0)
		return 0;
	struct lcall_regs call = *regs;
	lcall_set_reg(&call, l->pc, lp->syscall_insn);
	lcall_set_reg(&call, l->syscall_nr, (uint64_t)nr);
	uint64_t args[6] = { hint, PAGE_SIZE_LC, PROT_READ | PROT_EXEC,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
			     (uint64_t)-1, 0 };
	for (int i = 0; i < 6; i++)
		lcall_set_reg(&call, l->syscall_args[i], args[i]);
	if (l->orig_syscall_nr != REG_NONE)
		lcall_set_reg(&call, l->orig_syscall_nr, (uint64_t)-1);
	if (lcall_regs_set(t->tid, &call) < 0)
		return 0;
	int r = single_step(e, t, deliver, gone_status);
	if (r != 0) {
		*gone = r == 1;
		return 0;
	}
	struct lcall_regs after;
	uint64_t result = 0;
	if (lcall_regs_get(t->tid, &after) == 0)
		result = lcall_reg(&after, l->ret);
	lcall_regs_set(t->tid, regs);
	if (result >= (uint64_t)-4095 || result != hint)
		return 0;  /* taken meanwhile (EEXIST), or a kernel before 4.17
			    * that read MAP_FIXED_NOREPLACE as a hint */
	return result;
}

/* The page-aligned address nearest to ADDR (within REACH) that no mapping
 * of TGID holds, the SKIP nearer ones (tried already) left out; 0 if none.
 * Candidates are the ends of each gap between mappings, but for the top
 * of the gap below a [stack]: the stack grows into it. */
static uint64_t free_page_near(pid_t tgid, uint64_t addr, uint64_t reach,
			       int skip)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/maps", tgid);
	FILE *f = fopen(path, "re");
	if (!f)
		return 0;
	enum { MAX_CANDIDATES = 64 };
	uint64_t cand[MAX_CANDIDATES], dist[MAX_CANDIDATES];
	size_t n = 0;
	uint64_t prev_end = 1u << 20;  /* well above mmap_min_addr */
	char line[512];
	while (fgets(line, sizeof line, f)) {
		unsigned long start, end;
		if (sscanf(line, "%lx-%lx", &start, &end) != 2)
			continue;
		if (start >= prev_end + PAGE_SIZE_LC) {
			uint64_t ends[2] = { prev_end, start - PAGE_SIZE_LC };
			bool below_stack = strstr(line, "[stack]") != NULL;
			for (int k = 0; k < (below_stack ? 1 : 2); k++) {
				uint64_t d = ends[k] > addr ? ends[k] - addr :
							      addr - ends[k];
				if (d >= reach)
					continue;
				/* Full: replace the farthest if nearer. */
				size_t slot = n;
				if (n == MAX_CANDIDATES) {
					slot = 0;
					for (size_t c = 1; c < n; c++)
						if (dist[c] > dist[slot])
							slot = c;
					if (dist[slot] <= d)
						continue;
				} else {
					n++;
				}
				cand[slot] = ends[k];
				dist[slot] = d;
			}
		}
		if (end > prev_end)
			prev_end = end;
	}
	fclose(f);
	/* The (SKIP+1)-th nearest, by selection. */
	for (int round = 0; round <= skip; round++) {
		size_t best = n;
		for (size_t c = 0; c < n; c++)
			if (dist[c] != UINT64_MAX && (best == n || dist[c] < dist[best]))
				best = c;
		if (best == n)
			return 0;
		if (round == skip)
			return cand[best];
		dist[best] = UINT64_MAX;
	}
	return 0;
}

/* x86_64: the copy's bytes at SLOT: the relocated instruction, then (for
 * instructions that fall through) `jmp orig+len`. Returns the length, or
 * 0 when out of reach. JUMP_BACK false: the instruction is single-stepped
 * instead (branches, calls). */
static size_t x86_copy(const struct lcall_bp *bp, uint64_t slot, bool jump_back,
		       uint8_t out[SLOT_SIZE])
{
	if (insn_relocate(PTRC_ARCH_X86_64, &bp->plan, bp->code, bp->addr, slot,
			  out) < 0)
		return 0;
	size_t len = bp->plan.len;
	if (!jump_back)
		return len;
	int64_t rel = (int64_t)(bp->addr + len) - (int64_t)(slot + len + 5);
	if (rel != (int32_t)rel)
		return 0;
	out[len] = 0xe9;
	int32_t rel32 = (int32_t)rel;
	memcpy(out + len + 1, &rel32, 4);
	return len + 5;
}

/* aarch64: the instruction, then `b orig+4` when it reaches (+-128 MiB). */
static size_t a64_copy(const struct lcall_bp *bp, uint64_t slot, bool jump_back,
		       uint8_t out[SLOT_SIZE])
{
	memcpy(out, bp->code, 4);
	if (!jump_back)
		return 4;
	int64_t rel = (int64_t)(bp->addr + 4) - (int64_t)(slot + 4);
	if (rel < -(1ll << 27) || rel >= (1ll << 27))
		return 0;
	uint32_t b = 0x14000000u | ((uint32_t)(rel >> 2) & 0x03ffffffu);
	memcpy(out + 4, &b, 4);
	return 8;
}

static bool falls_through(const struct lcall_bp *bp)
{
	return !bp->plan.relative_branch && !bp->plan.is_call;
}

/* Give BP its out-of-line slot: in a page within reach, mapping one if
 * needed. Returns 0, 1 when T ended meanwhile, -1 when impossible. */
static int place_slot(struct engine *e, struct lcall_process *lp,
		      struct tracee *t,
		      struct lcall_bp *bp, const struct lcall_regs *regs,
		      int *deliver, int *gone_status)
{
	enum ptrc_arch arch = arch_host();
	uint8_t out[SLOT_SIZE];
	bool jump_back = falls_through(bp);
	for (int attempt = 0; attempt < 3; attempt++) {
		for (unsigned i = 0; i < lp->npages; i++) {
			struct lcall_page *pg = &lp->pages[i];
			if (pg->used >= SLOTS_PER_PAGE)
				continue;
			uint64_t slot = pg->addr + (uint64_t)pg->used * SLOT_SIZE;
			size_t n = arch == PTRC_ARCH_X86_64 ?
				   x86_copy(bp, slot, jump_back, out) :
				   a64_copy(bp, slot, jump_back, out);
			if (!n)
				continue;
			if (lcall_mem_write(lp->mem_fd, slot, out, n) < 0)
				return -1;
			pg->used++;
			bp->slot = slot;
			return 0;
		}
		if (lp->npages == sizeof lp->pages / sizeof lp->pages[0])
			return -1;
		/* In the free gap nearest to the instruction, within reach
		 * (x86_64: rel32, 2 GiB; aarch64: b, 128 MiB); an earlier
		 * ptrc's pages may be there already. */
		uint64_t reach = arch == PTRC_ARCH_X86_64 ? (1ull << 31) - (1u << 20) :
				 (1ull << 27) - (1u << 20);
		uint64_t place = free_page_near(lp->tgid, bp->addr, reach, attempt);
		if (!place)
			return -1;
		int gone = 0;
		uint64_t page = inject_mmap(e, lp, t, regs, place, deliver,
					    gone_status, &gone);
		if (gone)
			return 1;
		if (!page)
			return -1;
		lp->pages[lp->npages++] = (struct lcall_page){ page, 0 };
	}
	return -1;
}

/* insn_emulate_a64's reads (ldr literal), from the tracee. */
static int load_tracee(void *ctx, uint64_t addr, void *buf, size_t len)
{
	pid_t tid = *(pid_t *)ctx;
	return mem_read(tid, addr, buf, len) == (ssize_t)len ? 0 : -1;
}

/* aarch64 INSN_EMULATE: BP's instruction applied to REGS, and to T. */
static int emulate_a64(struct tracee *t, const struct lcall_bp *bp,
		       struct lcall_regs *regs)
{
	const struct reg_layout *l = regs->layout;
	uint32_t insn;
	memcpy(&insn, bp->code, 4);
	/* The emulator's view of aarch64's register set, which the layout
	 * (arch/aarch64/regs.c) must agree with. */
	struct insn_a64_regs a64;
	if (l->arch != PTRC_ARCH_AARCH64 || l->size != sizeof a64 ||
	    l->regs[l->pc].offset != offsetof(struct insn_a64_regs, pc) ||
	    l->regs[l->sp].offset != offsetof(struct insn_a64_regs, sp))
		return -1;
	memcpy(&a64, regs->buf, sizeof a64);
	if (insn_emulate_a64(insn, &a64, load_tracee, &t->tid) < 0)
		return -1;
	memcpy(regs->buf, &a64, sizeof a64);
	return lcall_regs_set(t->tid, regs);
}

int lcall_step_over(struct engine *e, struct lcall_process *lp,
		    struct tracee *t, struct lcall_bp *bp,
		    struct lcall_regs *regs, int *deliver, int *gone_status)
{
	const struct reg_layout *l = regs->layout;
	uint64_t next = bp->addr + bp->plan.len;
	if (bp->push_reg >= 0) {
		uint64_t sp = lcall_reg(regs, l->sp) - 8;
		uint64_t value = lcall_reg(regs, bp->push_reg);
		if (lcall_mem_write(lp->mem_fd, sp, &value, 8) < 0)
			return -1;
		lcall_set_reg(regs, l->sp, sp);
		lcall_set_reg(regs, l->pc, next);
		return lcall_regs_set(t->tid, regs);
	}
	switch (bp->plan.kind) {
	case INSN_SKIP:
		lcall_set_reg(regs, l->pc, next);
		return lcall_regs_set(t->tid, regs);
	case INSN_EMULATE:
		return emulate_a64(t, bp, regs);
	case INSN_DISPLACE:
		break;
	default:
		return -1;
	}
	if (!bp->slot) {
		int r = place_slot(e, lp, t, bp, regs, deliver, gone_status);
		if (r != 0)
			return r;
	}
	lcall_set_reg(regs, l->pc, bp->slot);
	if (lcall_regs_set(t->tid, regs) < 0)
		return -1;
	if (falls_through(bp))
		return 0;  /* the copy jumps back by itself */

	int r = single_step(e, t, deliver, gone_status);
	if (r != 0)
		return r;
	if (lcall_regs_get(t->tid, regs) < 0)
		return -1;
	uint64_t pc = lcall_reg(regs, l->pc);
	uint64_t slot_next = bp->slot + bp->plan.len;
	if (pc == slot_next)
		lcall_set_reg(regs, l->pc, next);
	else if (bp->plan.relative_branch)
		lcall_set_reg(regs, l->pc, pc + (bp->addr - bp->slot));
	if (bp->plan.is_call) {
		/* It pushed (x86_64) or linked (aarch64) the copy's address. */
		if (l->lr != REG_NONE) {
			if (lcall_reg(regs, l->lr) == slot_next)
				lcall_set_reg(regs, l->lr, next);
		} else {
			uint64_t sp = lcall_reg(regs, l->sp), top;
			if (mem_read_word(t->tid, sp, 8, &top) == 0 &&
			    top == slot_next)
				lcall_mem_write(lp->mem_fd, sp, &next, 8);
		}
	}
	return lcall_regs_set(t->tid, regs);
}

