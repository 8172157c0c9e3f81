/* A raw walk: the pcs a backend found, before symbolization, and the cuts
 * made to them where the backend went wrong. */
#ifndef PTRC_STACK_RAW_STACK_H
#define PTRC_STACK_RAW_STACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ptrc/stack.h"

struct raw_frame {
	uint64_t pc;
	bool activation;
};

struct raw_stack {
	struct raw_frame *frames;
	size_t count, cap;
	size_t max;                  /* stop (cut) after this many */
	bool cut;
};

/* Appends one pc; false when MAX is reached (sets cut) or out of memory. */
bool stack_raw_push(struct raw_stack *r, uint64_t pc, bool activation);

/* The walk of TID in process PID by BACKEND, made believable: return
 * addresses signed by pointer authentication stripped, and the walk cut
 * where a return address leaves executable memory (or, libdw on
 * aarch64, enters the vdso's signal trampoline). A cut sets *RC to -1
 * and replaces *REASON (malloc'd) with why. */
void stack_raw_check(pid_t pid, pid_t tid, enum stack_backend backend,
		struct raw_stack *raw, int *rc, char **reason);

/* Where a dump's return addresses may be: its executable ranges (the
 * vdso's marked), and how to read a word of its memory. */
struct exec_maps {
	struct exec_range { uint64_t lo, hi; bool vdso; } *ranges;
	size_t count;
};
struct raw_memory {
	bool (*read_word)(void *ctx, uint64_t addr, uint64_t *word);
	void *ctx;
};

/* The same checks as stack_raw_check but the pointer-authentication one
 * (which needs the live thread's mask), for a walk of a core file
 * (libdw backend). */
void stack_raw_check_dump(const struct exec_maps *maps,
		const struct raw_memory *mem, struct raw_stack *raw, int *rc,
		char **reason);

#endif
