/* What the engine tells the user (messages.c): notes about a tracee go to
 * the mode (the trace shows them); warnings go to stderr (engine_warn,
 * ptrc/engine.h). */
#ifndef PTRC_ENGINE_MESSAGES_H
#define PTRC_ENGINE_MESSAGES_H

struct engine;
struct tracee;

void engine_note(struct engine *e, struct tracee *t, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
