/* Interned strings of a stack session (see strpool.h). */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "strpool.h"

static uint64_t hash_bytes(const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ull;   /* FNV-1a */
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

static bool grow(struct strpool *p)
{
	size_t cap = p->cap ? p->cap * 2 : 256;
	char **slots = calloc(cap, sizeof *slots);
	if (!slots)
		return false;
	for (size_t i = 0; i < p->cap; i++) {
		char *str = p->slots[i];
		if (!str)
			continue;
		size_t j = hash_bytes(str, strlen(str)) & (cap - 1);
		while (slots[j])
			j = (j + 1) & (cap - 1);
		slots[j] = str;
	}
	free(p->slots);
	p->slots = slots;
	p->cap = cap;
	return true;
}

const char *stack_strpool_intern_len(struct strpool *p, const char *str,
		size_t len)
{
	if (!str)
		return NULL;
	if ((p->count + 1) * 4 > p->cap * 3 && !grow(p))
		return NULL;
	size_t i = hash_bytes(str, len) & (p->cap - 1);
	for (; p->slots[i]; i = (i + 1) & (p->cap - 1)) {
		if (strncmp(p->slots[i], str, len) == 0 && p->slots[i][len] == '\0')
			return p->slots[i];
	}
	char *copy = strndup(str, len);
	if (!copy)
		return NULL;
	p->slots[i] = copy;
	p->count++;
	return copy;
}

const char *stack_strpool_intern(struct strpool *p, const char *str)
{
	return str ? stack_strpool_intern_len(p, str, strlen(str)) : NULL;
}

void stack_strpool_free(struct strpool *p)
{
	for (size_t i = 0; i < p->cap; i++)
		free(p->slots[i]);
	free(p->slots);
	*p = (struct strpool){0};
}
