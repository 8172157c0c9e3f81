/* Syscall tampering at the exit stop (tamper.c; the entry's is
 * engine_tamper_entry in ptrc/engine.h). */
#ifndef PTRC_ENGINE_TAMPER_H
#define PTRC_ENGINE_TAMPER_H

#include <stdbool.h>
#include <stdint.h>

struct tracee;

/* At T's exit stop: the exit delay, and the injected return value written
 * and reported in *RVAL, *IS_ERROR. */
void engine_tamper_exit(struct tracee *t, int64_t *rval, bool *is_error);

#endif
