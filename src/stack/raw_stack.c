/* A raw walk's pcs (see raw_stack.h): collected from a backend, then
 * checked where backends are known to go wrong. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>

#include "message.h"
#include "raw_stack.h"

bool stack_raw_push(struct raw_stack *r, uint64_t pc, bool activation)
{
	if (r->count >= r->max) {
		r->cut = true;
		return false;
	}
	if (r->count == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 32;
		struct raw_frame *frames = realloc(r->frames, cap * sizeof *frames);
		if (!frames)
			return false;
		r->frames = frames;
		r->cap = cap;
	}
	r->frames[r->count++] = (struct raw_frame){ pc, activation };
	return true;
}

/* The tracee's executable mappings, read once per walk. */
static void read_exec_maps(pid_t pid, struct exec_maps *m)
{
	*m = (struct exec_maps){ NULL, 0 };
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/maps", (int)pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return;
	size_t cap = 0;
	unsigned long long lo, hi;
	char perms[5];
	char line[512];
	while (fgets(line, sizeof line, f)) {
		bool whole = strchr(line, '\n') != NULL;
		if (sscanf(line, "%llx-%llx %4s", &lo, &hi, perms) == 3 &&
				perms[2] == 'x') {
			if (m->count == cap) {
				size_t n = cap ? cap * 2 : 64;
				void *r = realloc(m->ranges, n * sizeof *m->ranges);
				if (!r)
					break;
				m->ranges = r;
				cap = n;
			}
			m->ranges[m->count].lo = lo;
			m->ranges[m->count].hi = hi;
			m->ranges[m->count].vdso = strstr(line, "[vdso]") != NULL;
			m->count++;
		}
		/* Skip the rest of a line longer than the buffer. */
		while (!whole && fgets(line, sizeof line, f))
			whole = strchr(line, '\n') != NULL;
	}
	fclose(f);
}

/* 0: PC is in no executable mapping; 1: in one; 2: in the vdso. Not
 * dwfl_addrmodule: on aarch64 it also answers for addresses past the end
 * of ld.so's mappings (which straddle the vdso's). */
static int pc_mapping(const struct exec_maps *m, uint64_t pc)
{
	for (size_t i = 0; i < m->count; i++)
		if (pc >= m->ranges[i].lo && pc < m->ranges[i].hi)
			return m->ranges[i].vdso ? 2 : 1;
	return 0;
}

static void cut_walk(struct raw_stack *raw, size_t count, int *rc,
		char **reason, char *why)
{
	if (why) {
		free(*reason);
		*reason = why;
	}
	raw->count = count;
	raw->cut = false;
	*rc = -1;
}

/* A return address outside executable memory is where an unwinder without
 * CFI guessed wrong (frame-pointer fallback over code built without frame
 * pointers): cut the walk before it rather than print garbage. Activation
 * frames stay: a call through a NULL pointer really stops at pc 0. */
static void cut_at_bad_return_address(const struct exec_maps *maps,
		const struct raw_memory *mem, enum stack_backend backend,
		struct raw_stack *raw, int *rc, char **reason)
{
	for (size_t i = 1; i < raw->count; i++) {
		const struct raw_frame *f = &raw->frames[i];
		int where = pc_mapping(maps, f->pc);
		if (!f->activation && where == 0) {
			cut_walk(raw, i, rc, reason, stack_strdupf("cannot unwind "
				"past 0x%llx: return address 0x%llx is not in "
				"executable memory (no CFI there?)",
				(unsigned long long)raw->frames[i - 1].pc,
				(unsigned long long)f->pc));
			break;
		}
#ifdef __aarch64__
		/* The signal trampoline (__kernel_rt_sigreturn: mov x8, #139;
		 * svc #0) has no CFI in the aarch64 vdso; libdw 0.188 does
		 * not recognize it and goes on with wrong registers. */
		uint64_t insns = 0;
		if (where == 2 && i + 1 < raw->count &&
		    backend == STACK_BACKEND_LIBDW &&
		    mem->read_word(mem->ctx, f->pc, &insns) &&
		    insns == 0xd4000001d2801168ull) {
			cut_walk(raw, i + 1, rc, reason, stack_strdupf("cannot "
				"unwind through the signal frame at 0x%llx: libdw "
				"does not unwind the aarch64 signal trampoline "
				"(use --unwinder=libunwind)",
				(unsigned long long)f->pc));
			break;
		}
#else
		(void)mem, (void)backend;
#endif
	}
}

#ifndef NT_ARM_PAC_MASK
#define NT_ARM_PAC_MASK 0x406
#endif

/* Pointer authentication (aarch64): return addresses saved by code built
 * with -mbranch-protection carry a signature in their top bits, which the
 * insn_mask of the NT_ARM_PAC_MASK regset covers. libdw 0.188 does not
 * strip them: it hands back the signed address and cannot go on from it.
 * Strip the bits so the frame symbolizes, and end the walk there, saying
 * why, rather than print what the backend found past a signed address. */
static void strip_pac(pid_t tid, struct raw_stack *raw, int *rc,
		char **reason)
{
	struct { uint64_t data_mask, insn_mask; } mask = { 0, 0 };
	struct iovec iov = { &mask, sizeof mask };
	if (raw->count == 0 || ptrace(PTRACE_GETREGSET, tid,
			(void *)NT_ARM_PAC_MASK, &iov) != 0 || !mask.insn_mask)
		return;   /* not aarch64, or no PAC on this CPU */
	for (size_t i = 0; i < raw->count; i++) {
		uint64_t pc = raw->frames[i].pc;
		if (!(pc & mask.insn_mask))
			continue;
		raw->frames[i].pc = pc & ~mask.insn_mask;
		cut_walk(raw, i + 1, rc, reason, stack_strdupf("cannot unwind "
			"past 0x%llx: its return address 0x%llx is signed "
			"(pointer authentication) and the unwinder does not "
			"strip the signature", (unsigned long long)raw->frames[i].pc,
			(unsigned long long)pc));
		return;
	}
}

static bool peek_word(void *ctx, uint64_t addr, uint64_t *word)
{
	pid_t tid = *(const pid_t *)ctx;
	errno = 0;
	long w = ptrace(PTRACE_PEEKDATA, tid, (void *)(uintptr_t)addr, 0);
	*word = (unsigned long)w;
	return errno == 0;
}

void stack_raw_check(pid_t pid, pid_t tid, enum stack_backend backend,
		struct raw_stack *raw, int *rc, char **reason)
{
	strip_pac(tid, raw, rc, reason);
	struct exec_maps maps;
	read_exec_maps(pid, &maps);
	struct raw_memory mem = { peek_word, &tid };
	cut_at_bad_return_address(&maps, &mem, backend, raw, rc, reason);
	free(maps.ranges);
}

void stack_raw_check_dump(const struct exec_maps *maps,
		const struct raw_memory *mem, struct raw_stack *raw, int *rc,
		char **reason)
{
	cut_at_bad_return_address(maps, mem, STACK_BACKEND_LIBDW, raw, rc,
			reason);
}
