/* Strings interned once per stack session: frames point into it, and a
 * name seen on every walk is stored once. */
#ifndef PTRC_STACK_STRPOOL_H
#define PTRC_STACK_STRPOOL_H

#include <stddef.h>

struct strpool {
	char **slots;    /* open addressing; NULL = empty */
	size_t cap;      /* power of two */
	size_t count;
};

/* STR's copy in the pool (NULL for NULL, or when out of memory). */
const char *stack_strpool_intern(struct strpool *p, const char *str);
const char *stack_strpool_intern_len(struct strpool *p, const char *str,
		size_t len);
void stack_strpool_free(struct strpool *p);

#endif
