/* test_stack.c's fixture process: started, its threads listed, seized and
 * interrupted so the stack layer can walk them. */
#ifndef PTRC_TEST_STACK_FIXTURE_H
#define PTRC_TEST_STACK_FIXTURE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define MAX_TASKS 64

extern pid_t fixture_pid;
extern char fixture_exe[PATH_MAX];   /* /proc/PID/exe of the fixture */

/* Runs BINARY and waits (10 s at most) for its "ready" line. */
bool start_fixture(const char *binary);
/* The fixture's threads (at most MAX_TASKS) into TIDS. */
size_t list_tasks(pid_t *tids);
/* Waits (5 s at most) until every thread of TIDS sleeps. */
bool all_tasks_sleep(const pid_t *tids, size_t n);
/* PTRACE_SEIZE and PTRACE_INTERRUPT TID, and wait for its stop. */
bool seize_and_stop(pid_t tid);
bool elf_is_32bit(const char *path);

#endif
