/* A crash report from a core file (crash_core.c): what crash_report.c
 * gathers from a live process, read from the core's notes instead. */
#ifndef PTRC_MODES_CRASH_CORE_H
#define PTRC_MODES_CRASH_CORE_H

#include "crash_report.h"

/* Fills R from R->session, a core session (stack_session_open_core):
 * pid, crashed thread, siginfo, registers, command (pr_psargs),
 * executable and its build-id, every thread's stack (the signalled one
 * first), modules, the time (the core's mtime). */
void crash_core_collect(struct crash_report *r);
/* R->address's mapping in the core (PT_LOAD and NT_FILE). */
void crash_core_mapping(struct crash_report *r);
/* From a core: "    Source: core FILE ..." in place of the live
 * report's Action (where a live crash's core goes is the process
 * context's "Core:" line, crash_ctx_core.c); nothing for a live one. */
void crash_core_text(struct strbuf *sb, const struct crash_report *r);
/* From a core: ,"source":"core","core":FILE; nothing for a live one. */
void crash_core_json(struct strbuf *sb, const struct crash_report *r);

#endif
