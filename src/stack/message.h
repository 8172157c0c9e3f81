/* The stack layer's messages (stop reasons, errors): malloc'd strings the
 * caller frees. */
#ifndef PTRC_STACK_MESSAGE_H
#define PTRC_STACK_MESSAGE_H

/* asprintf that returns NULL instead of leaving garbage. */
char *stack_strdupf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
