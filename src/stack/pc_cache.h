/* Symbolized pcs of one stack session: (pc, activation) -> frames,
 * inlined ones first, the real one last. Frames hold interned strings;
 * only the arrays are owned. */
#ifndef PTRC_STACK_PC_CACHE_H
#define PTRC_STACK_PC_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "ptrc/stack.h"

struct pc_entry {
	uint64_t key;                /* from pc and activation; 0 = empty */
	struct stack_frame *frames;
	uint32_t nframes;
};

struct pc_cache {
	struct pc_entry *slots;
	size_t cap;
	size_t count;
};

const struct pc_entry *stack_pc_cache_find(const struct pc_cache *c,
		uint64_t key);
/* Takes FRAMES (malloc'd). NULL when out of memory (FRAMES freed then). */
const struct pc_entry *stack_pc_cache_add(struct pc_cache *c, uint64_t key,
		struct stack_frame *frames, uint32_t nframes);
void stack_pc_cache_clear(struct pc_cache *c);
void stack_pc_cache_free(struct pc_cache *c);

#endif
