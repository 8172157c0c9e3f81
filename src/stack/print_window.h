/* What the stack printers (print_text.c, print_json.c) show of a long
 * stack: all of a short one, the first STACK_PRINT_HEAD and the last
 * STACK_PRINT_TAIL frames of a long one. */
#ifndef PTRC_STACK_PRINT_WINDOW_H
#define PTRC_STACK_PRINT_WINDOW_H

#include <stdbool.h>
#include <stddef.h>

#include "ptrc/stack.h"

/* Whether frame I of N is shown. */
static inline bool stack_print_shown(size_t i, size_t n)
{
	return n <= STACK_PRINT_HEAD + STACK_PRINT_TAIL || i < STACK_PRINT_HEAD ||
	       i >= n - STACK_PRINT_TAIL;
}

/* How many frames are left out between the head and the tail. */
static inline size_t stack_print_omitted(size_t n)
{
	return n <= STACK_PRINT_HEAD + STACK_PRINT_TAIL ? 0 :
	       n - STACK_PRINT_HEAD - STACK_PRINT_TAIL;
}

#endif
