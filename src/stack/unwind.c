/* One thread's walk: a backend gives the pcs, symbolize_pc the frames. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "internal.h"

bool raw_stack_push(struct raw_stack *r, uint64_t pc, bool activation)
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

static void read_comm(pid_t pid, pid_t tid, char comm[16])
{
	char path[64];
	comm[0] = '\0';
	snprintf(path, sizeof path, "/proc/%d/task/%d/comm", (int)pid, (int)tid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	char buf[17];
	ssize_t n = read(fd, buf, 16);
	close(fd);
	if (n < 0)
		n = 0;
	/* The kernel ends comm with one '\n'; a name may hold others. */
	if (n > 0 && buf[n - 1] == '\n')
		n--;
	if (n > 15)
		n = 15;
	memcpy(comm, buf, (size_t)n);
	comm[n] = '\0';
}

/* After a failed walk: say whether the thread is gone, or was never ours. */
static void explain_failure(struct stack_session *s, struct stack_thread *t,
		size_t nframes)
{
	if (syscall(SYS_tgkill, s->pid, t->tid, 0) != 0 && errno == ESRCH) {
		t->vanished = true;
		char *reason = stack_strdupf("thread exited during the walk (%s)",
				t->stop_reason ? t->stop_reason : "no reason given");
		if (reason) {
			free(t->stop_reason);
			t->stop_reason = reason;
		}
		return;
	}
	errno = 0;
	if (nframes == 0 && ptrace(PTRACE_PEEKUSER, t->tid, 0, 0) == -1
			&& errno == ESRCH) {
		char *reason = stack_strdupf("thread is not ptrace-stopped by this "
				"tracer (%s)", t->stop_reason ? t->stop_reason : "");
		if (reason) {
			free(t->stop_reason);
			t->stop_reason = reason;
		}
	}
}

/* The tracee's executable mappings, read once per walk. */
struct exec_maps {
	struct { uint64_t lo, hi; bool vdso; } *ranges;
	size_t count;
};

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
static void cut_at_bad_return_address(struct stack_session *s, pid_t tid,
		struct raw_stack *raw, int *rc, char **reason)
{
	struct exec_maps maps;
	read_exec_maps(s->pid, &maps);
	for (size_t i = 1; i < raw->count; i++) {
		const struct raw_frame *f = &raw->frames[i];
		int where = pc_mapping(&maps, f->pc);
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
		errno = 0;
		long insns = where == 2 && i + 1 < raw->count &&
			s->backend == STACK_BACKEND_LIBDW
			? ptrace(PTRACE_PEEKDATA, tid, (void *)(uintptr_t)f->pc, 0)
			: 0;
		if (errno == 0 && (unsigned long)insns == 0xd4000001d2801168ul) {
			cut_walk(raw, i + 1, rc, reason, stack_strdupf("cannot "
				"unwind through the signal frame at 0x%llx: libdw "
				"does not unwind the aarch64 signal trampoline "
				"(use --unwinder=libunwind)",
				(unsigned long long)f->pc));
			break;
		}
#else
		(void)tid;
#endif
	}
	free(maps.ranges);
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

static bool frames_push(struct stack_thread *t, size_t *cap,
		const struct stack_frame *f)
{
	if (t->nframes == *cap) {
		size_t n = *cap ? *cap * 2 : 32;
		struct stack_frame *frames = realloc(t->frames, n * sizeof *frames);
		if (!frames)
			return false;
		t->frames = frames;
		*cap = n;
	}
	t->frames[t->nframes++] = *f;
	return true;
}

int stack_unwind_thread(struct stack_session *s, pid_t tid,
		struct stack_thread *out, size_t max_frames)
{
	*out = (struct stack_thread){ .tid = tid, .walk = STACK_WALK_NONE };
	if (!max_frames)
		max_frames = STACK_DEFAULT_MAX_FRAMES;
	read_comm(s->pid, tid, out->comm);
	if (session_refresh(s, &out->stop_reason) != 0)
		return out->walk;

	struct raw_stack raw = { .max = max_frames };
	char *reason = NULL;
	int rc = s->backend == STACK_BACKEND_LIBUNWIND
		? libunwind_walk(s, tid, &raw, &reason)
		: libdw_walk(s, tid, &raw, &reason);
	strip_pac(tid, &raw, &rc, &reason);
	cut_at_bad_return_address(s, tid, &raw, &rc, &reason);

	size_t cap = 0;
	bool cut = false, oom = false;
	for (size_t i = 0; i < raw.count && !cut && !oom; i++) {
		const struct pc_entry *e = symbolize_pc(s, raw.frames[i].pc,
				raw.frames[i].activation);
		if (!e) {
			oom = true;
			break;
		}
		for (uint32_t k = 0; k < e->nframes; k++) {
			if (out->nframes == max_frames) {
				cut = true;
				break;
			}
			if (!frames_push(out, &cap, &e->frames[k])) {
				oom = true;
				break;
			}
		}
	}
	free(raw.frames);

	if (oom) {
		free(reason);
		stack_thread_free(out);
		out->tid = tid;
		errno = ENOMEM;
		return -1;
	}
	if (cut || raw.cut) {
		free(reason);
		reason = stack_strdupf("stopped after %zu frames (the cap)",
				out->nframes);
		rc = -1;
	}
	if (rc == 0) {
		free(reason);
		out->walk = STACK_WALK_COMPLETE;
		return out->walk;
	}
	out->stop_reason = reason ? reason : stack_strdupf("unknown reason");
	out->walk = out->nframes ? STACK_WALK_PARTIAL : STACK_WALK_NONE;
	if (!cut && !raw.cut)
		explain_failure(s, out, out->nframes);
	return out->walk;
}

void stack_thread_free(struct stack_thread *t)
{
	free(t->frames);
	free(t->stop_reason);
	*t = (struct stack_thread){ .tid = t->tid };
}
