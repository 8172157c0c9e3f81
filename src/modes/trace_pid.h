/* Which thread a trace line is of: the pid at the head of each line, by
 * strace 6.1's rules (printleader() in its src/strace.c). One rule, one
 * place: trace_line.c asks it for each line's form. */
#ifndef PTRC_TRACE_PID_H
#define PTRC_TRACE_PID_H

#include <stdbool.h>
#include <sys/types.h>

#include "ptrc/config.h"
#include "ptrc/strbuf.h"

enum trace_pid_form {
	TRACE_PID_NONE,     /* one tracee to stderr, -ff, -o without -f */
	TRACE_PID_COLUMN,   /* -o: "1234  " ("%-5d "), "1234<comm> " with -Y */
	TRACE_PID_BRACKET,  /* stderr: "[pid  1234] ", "[pid  1234<comm>] " */
};

struct trace_pid_rule {
	bool bracket;   /* stderr: "[pid N] " while several tracees live */
	bool column;    /* -o (or syslog): "N " on every line from now on */
	bool to_file;   /* -o or syslog, not -ff */
};

/* Decided once at start, as strace decides print_pid_pfx: with -o (and
 * not -ff), every line when -f is given or several -p. */
void trace_pid_rule_init(struct trace_pid_rule *r,
			 const struct ptrc_config *config);

/* The form of the next line, TRACEES being the threads traced now (the
 * one the line is of included: "+++ exited" lines count it). strace
 * counts its tracees the same way, but without -f it traces one thread;
 * ptrc follows threads always, so a second thread turns -o's column on
 * for good, as -f would have from the start. */
enum trace_pid_form trace_pid_form(struct trace_pid_rule *r,
				   unsigned tracees);

/* The prefix of FORM for TID; COMM (NULL or "" for none) is -Y's
 * process name, escaped as strace escapes it between '<' and '>'. */
void trace_put_pid(struct strbuf *sb, enum trace_pid_form form, pid_t tid,
		   const char *comm);

#endif
