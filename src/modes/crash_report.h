/* A crash report: what is known of a process stopped at a fatal signal,
 * gathered while every thread is held, then printed as text or JSON. */
#ifndef PTRC_MODES_CRASH_REPORT_H
#define PTRC_MODES_CRASH_REPORT_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "crash_insn.h"
#include "ptrc/arch_regs.h"
#include "ptrc/stack.h"
#include "ptrc/strbuf.h"
#include "crash_context.h"
#include "crash_syscall.h"

struct crash_report {
	struct timespec when;      /* wall clock at the signal */
	double latency_ms;         /* signal stop to report built */
	pid_t pid, tid;
	siginfo_t si;
	char *cmdline;             /* NUL-separated, as /proc gives it */
	size_t cmdline_len;
	char *exe;                 /* /proc/PID/exe link (may say "(deleted)") */
	char *build_id;            /* of the running image */
	char *disk_build_id;       /* of the file at that path now */
	char *producer;            /* DW_AT_producer of main's CU */
	char *producer_cu;         /* that CU's name */
	char **warnings;
	size_t nwarnings;
	/* NT_PRSTATUS of the crashed thread (ptrc/arch_regs.h). */
	uint64_t regs[REGS_MAX_SIZE / 8];
	size_t regs_size;
	/* The mapping that holds the fault address (a /proc/PID/maps line),
	 * or its neighbours when none does. */
	bool has_address;
	uint64_t address;
	char *mapping, *below, *above;
	char signature[17];
	/* Crashed thread first. */
	struct stack_thread *threads;
	size_t nthreads;
	struct crash_syscall *syscalls;  /* one per thread, in threads' order */
	struct crash_code code;        /* the faulting instruction */
	struct stack_module *modules;
	size_t nmodules;
	const char *backend;
	struct stack_session *session;  /* owns the frames' strings */
	struct stack_values *values;    /* the crashed thread's arguments and
	                                 * locals, or NULL */
	bool hold;                     /* --on-crash=hold */
	bool want_env;                 /* --crash-env (set before collect) */
	struct crash_context context;  /* uid, cwd, limits, fds, core... */
	/* From a core file (ptrc report --core; crash_core.c), not a live
	 * process: its path as given, and R->session is open on it before
	 * crash_report_collect. NULL for a live crash. */
	const char *core;
};

/* Gathers everything; TIDS[0] is the crashed thread; every thread is held
 * in a ptrace-stop by the caller. STOPPED[i] false: that thread did not
 * stop. */
void crash_report_collect(struct crash_report *r, pid_t pid, const pid_t *tids,
			  const bool *stopped, size_t ntids, const siginfo_t *si,
			  int backend, bool hold);
void crash_report_text(struct strbuf *sb, const struct crash_report *r);
/* One JSON document on one line. */
void crash_report_json(struct strbuf *sb, const struct crash_report *r);
void crash_report_free(struct crash_report *r);

#endif
