/* Symbolized pcs of one session, so that -k (a stack after every syscall)
 * looks each return address up in libdwfl only once. */
#include <stdlib.h>

#include "pc_cache.h"

/* Past this many entries the table starts over instead of growing: a
 * JIT or a long trace must not grow it without bound. */
#define PC_CACHE_MAX_ENTRIES (1u << 16)

static size_t slot_of(uint64_t key, size_t cap)
{
	return (size_t)((key * 0x9e3779b97f4a7c15ull) >> 20) & (cap - 1);
}

const struct pc_entry *stack_pc_cache_find(const struct pc_cache *c,
		uint64_t key)
{
	if (!c->cap)
		return NULL;
	for (size_t i = slot_of(key, c->cap); c->slots[i].key;
			i = (i + 1) & (c->cap - 1)) {
		if (c->slots[i].key == key)
			return &c->slots[i];
	}
	return NULL;
}

static bool grow(struct pc_cache *c)
{
	size_t cap = c->cap ? c->cap * 2 : 512;
	struct pc_entry *slots = calloc(cap, sizeof *slots);
	if (!slots)
		return false;
	for (size_t i = 0; i < c->cap; i++) {
		if (!c->slots[i].key)
			continue;
		size_t j = slot_of(c->slots[i].key, cap);
		while (slots[j].key)
			j = (j + 1) & (cap - 1);
		slots[j] = c->slots[i];
	}
	free(c->slots);
	c->slots = slots;
	c->cap = cap;
	return true;
}

const struct pc_entry *stack_pc_cache_add(struct pc_cache *c, uint64_t key,
		struct stack_frame *frames, uint32_t nframes)
{
	if (c->count >= PC_CACHE_MAX_ENTRIES)
		stack_pc_cache_clear(c);
	if ((c->count + 1) * 4 > c->cap * 3 && !grow(c)) {
		free(frames);
		return NULL;
	}
	size_t i = slot_of(key, c->cap);
	while (c->slots[i].key)
		i = (i + 1) & (c->cap - 1);
	c->slots[i] = (struct pc_entry){
		.key = key, .frames = frames, .nframes = nframes,
	};
	c->count++;
	return &c->slots[i];
}

void stack_pc_cache_clear(struct pc_cache *c)
{
	for (size_t i = 0; i < c->cap; i++) {
		free(c->slots[i].frames);
		c->slots[i] = (struct pc_entry){0};
	}
	c->count = 0;
}

void stack_pc_cache_free(struct pc_cache *c)
{
	stack_pc_cache_clear(c);
	free(c->slots);
	*c = (struct pc_cache){0};
}
