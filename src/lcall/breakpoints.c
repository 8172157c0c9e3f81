/* Breakpoints in tracee memory: one table per process (address space),
 * written through /proc/PID/mem; the addresses of removed ones are
 * remembered, for a thread that trapped there before the removal. */
#include "tracer.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ptrc/mem.h"

struct lcall_process *lcall_process_new(pid_t tgid)
{
	struct lcall_process *lp = calloc(1, sizeof *lp);
	if (!lp)
		return NULL;
	lp->tgid = tgid;
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/mem", tgid);
	lp->mem_fd = open(path, O_RDWR | O_CLOEXEC);
	lp->nbuckets = 64;
	lp->buckets = calloc(lp->nbuckets, sizeof *lp->buckets);
	if (!lp->buckets || lp->mem_fd < 0) {
		lcall_process_free(lp);
		return NULL;
	}
	return lp;
}

static void bp_free(struct lcall_bp *bp)
{
	free(bp->name);
	free(bp);
}

void lcall_process_free(struct lcall_process *lp)
{
	if (!lp)
		return;
	for (unsigned i = 0; lp->buckets && i < lp->nbuckets; i++) {
		struct lcall_bp *bp = lp->buckets[i], *next;
		for (; bp; bp = next) {
			next = bp->next;
			bp_free(bp);
		}
	}
	free(lp->buckets);
	free(lp->former);
	while (lp->graveyard) {
		struct lcall_bp *bp = lp->graveyard;
		lp->graveyard = bp->next;
		bp_free(bp);
	}
	for (size_t i = 0; i < lp->nhooked; i++)
		free(lp->hooked[i].path);
	free(lp->hooked);
	if (lp->mem_fd >= 0)
		close(lp->mem_fd);
	free(lp);
}

static unsigned bucket_of(const struct lcall_process *lp, uint64_t addr)
{
	return (unsigned)((addr * 0x9E3779B97F4A7C15ull) >> 40) &
	       (lp->nbuckets - 1);
}

struct lcall_bp *lcall_bp_find(struct lcall_process *lp, uint64_t addr)
{
	for (struct lcall_bp *bp = lp->buckets[bucket_of(lp, addr)]; bp;
	     bp = bp->next)
		if (bp->addr == addr)
			return bp;
	return NULL;
}

bool lcall_was_bp(struct lcall_process *lp, uint64_t addr)
{
	for (size_t i = 0; i < lp->nformer; i++)
		if (lp->former[i] == addr)
			return true;
	return false;
}

static void grow_table(struct lcall_process *lp)
{
	unsigned n = lp->nbuckets * 2;
	struct lcall_bp **buckets = calloc(n, sizeof *buckets);
	if (!buckets)
		return;  /* longer chains, still correct */
	struct lcall_bp **old = lp->buckets;
	unsigned oldn = lp->nbuckets;
	lp->buckets = buckets;
	lp->nbuckets = n;
	for (unsigned i = 0; i < oldn; i++) {
		struct lcall_bp *bp = old[i], *next;
		for (; bp; bp = next) {
			next = bp->next;
			unsigned b = bucket_of(lp, bp->addr);
			bp->next = buckets[b];
			buckets[b] = bp;
		}
	}
	free(old);
}

static void remember_former(struct lcall_process *lp, uint64_t addr)
{
	if (lcall_was_bp(lp, addr))
		return;
	if (lp->nformer == lp->capformer) {
		size_t cap = lp->capformer ? lp->capformer * 2 : 16;
		uint64_t *grown = realloc(lp->former, cap * sizeof *grown);
		if (!grown)
			return;
		lp->former = grown;
		lp->capformer = cap;
	}
	lp->former[lp->nformer++] = addr;
}

static void bp_link(struct lcall_process *lp, struct lcall_bp *bp)
{
	unsigned b = bucket_of(lp, bp->addr);
	bp->next = lp->buckets[b];
	lp->buckets[b] = bp;
	if (++lp->count > lp->nbuckets)
		grow_table(lp);
}

static void bp_unlink(struct lcall_process *lp, struct lcall_bp *bp)
{
	struct lcall_bp **link = &lp->buckets[bucket_of(lp, bp->addr)];
	while (*link && *link != bp)
		link = &(*link)->next;
	if (*link) {
		*link = bp->next;
		lp->count--;
	}
}

int lcall_mem_write(int mem_fd, uint64_t addr, const void *buf, size_t len)
{
	ssize_t n = pwrite(mem_fd, buf, len, (off_t)addr);
	return n == (ssize_t)len ? 0 : -1;
}

/* x86_64 `push REG` (50+r, 41 50+r): the index of REG in the register
 * layout (ptrc/arch_regs.h), or -1. */
static int x86_push_reg(const uint8_t *code, unsigned len)
{
	static const char *const low[8] = {
		"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
	};
	static const char *const high[8] = {
		"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
	};
	const char *name = NULL;
	if (len == 1 && code[0] >= 0x50 && code[0] <= 0x57 && code[0] != 0x54)
		name = low[code[0] - 0x50];  /* not rsp */
	else if (len == 2 && code[0] == 0x41 && code[1] >= 0x50 &&
		 code[1] <= 0x57)
		name = high[code[1] - 0x50];
	return name ? reg_find(&regs_x86_64, name) : -1;
}

/* x86_64 indirect call (FF /2, FF /3): it pushes the copy's address as its
 * return address, so it is single-stepped and that address fixed. */
static bool x86_indirect_call(const uint8_t *code, unsigned len)
{
	unsigned i = 0;
	while (i < len && (code[i] == 0x66 || code[i] == 0x67 ||
			   code[i] == 0x2e || code[i] == 0x3e ||
			   code[i] == 0x26 || code[i] == 0x36 ||
			   code[i] == 0x64 || code[i] == 0x65 ||
			   code[i] == 0xf2 || code[i] == 0xf3))
		i++;
	if (i < len && (code[i] & 0xf0) == 0x40)
		i++;  /* REX */
	if (i + 1 >= len || code[i] != 0xff)
		return false;
	unsigned reg = (code[i + 1] >> 3) & 7;
	return reg == 2 || reg == 3;
}

struct lcall_bp *lcall_bp_get(struct lcall_process *lp, pid_t tid, uint64_t addr,
			const char **reason)
{
	struct lcall_bp *bp = lcall_bp_find(lp, addr);
	if (bp)
		return bp;
	enum ptrc_arch arch = arch_host();
	uint8_t code[16];
	ssize_t n = mem_read(tid, addr, code, sizeof code);
	uint8_t brk[4];
	size_t brk_len = insn_breakpoint(arch, brk);
	if (n < (ssize_t)brk_len) {
		*reason = "its code cannot be read";
		return NULL;
	}
	if (memcmp(code, brk, brk_len) == 0) {
		*reason = "a breakpoint is there already";
		return NULL;
	}
	struct insn_plan plan;
	if (insn_plan(arch, code, (size_t)n, addr, &plan) < 0 ||
	    plan.kind == INSN_UNSUPPORTED) {
		*reason = "its first instruction cannot be stepped over";
		return NULL;
	}
	if (plan.kind == INSN_DISPLACE && arch == PTRC_ARCH_X86_64 &&
	    x86_indirect_call(code, plan.len))
		plan.is_call = true;
	bp = calloc(1, sizeof *bp);
	if (!bp) {
		*reason = "out of memory";
		return NULL;
	}
	bp->addr = addr;
	memcpy(bp->code, code, (size_t)n);
	memcpy(bp->orig, code, brk_len);
	bp->plan = plan;
	bp->push_reg = arch == PTRC_ARCH_X86_64 ? x86_push_reg(code, plan.len) : -1;
	bp_link(lp, bp);
	return bp;
}

struct lcall_bp *lcall_bp_copy(struct lcall_process *lp, const struct lcall_bp *bp)
{
	struct lcall_bp *copy = malloc(sizeof *copy);
	if (!copy)
		return NULL;
	*copy = *bp;
	copy->name = bp->name ? strdup(bp->name) : NULL;
	bp_link(lp, copy);
	return copy;
}

void lcall_bp_bury(struct lcall_process *lp, struct lcall_bp *bp)
{
	bp_unlink(lp, bp);
	remember_former(lp, bp->addr);
	bp->next = lp->graveyard;
	lp->graveyard = bp;
}

int lcall_bp_insert(struct lcall_process *lp, struct lcall_bp *bp)
{
	if (bp->inserted)
		return 0;
	uint8_t brk[4];
	size_t len = insn_breakpoint(arch_host(), brk);
	if (lcall_mem_write(lp->mem_fd, bp->addr, brk, len) < 0)
		return -1;
	bp->inserted = true;
	return 0;
}

void lcall_bp_lift(struct lcall_process *lp, struct lcall_bp *bp)
{
	size_t len = insn_breakpoint(arch_host(), (uint8_t[4]){ 0 });
	if (bp->inserted)
		lcall_mem_write(lp->mem_fd, bp->addr, bp->orig, len);
	bp->inserted = false;
}

void lcall_bp_remove(struct lcall_process *lp, struct lcall_bp *bp)
{
	size_t len = insn_breakpoint(arch_host(), (uint8_t[4]){ 0 });
	if (bp->inserted)
		lcall_mem_write(lp->mem_fd, bp->addr, bp->orig, len);
	remember_former(lp, bp->addr);
	bp_unlink(lp, bp);
	bp_free(bp);
}

void lcall_restore_memory(struct lcall_process *lp, int mem_fd)
{
	size_t len = insn_breakpoint(arch_host(), (uint8_t[4]){ 0 });
	for (unsigned i = 0; i < lp->nbuckets; i++)
		for (struct lcall_bp *bp = lp->buckets[i]; bp; bp = bp->next)
			if (bp->inserted)
				lcall_mem_write(mem_fd, bp->addr, bp->orig, len);
}

