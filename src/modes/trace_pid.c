/* See trace_pid.h. strace 6.1's printleader():
 *   -o FILE without -ff, and -f or several -p:  "%-5u "  ("%u<comm> ")
 *   else, to stderr, while nprocs > 1:          "[pid %5u] " ("[pid %5u<comm>] ")
 *   -ff: nothing (a file per thread). */
#include "trace_pid.h"

#include <string.h>

#include "ptrc/decode.h"

void trace_pid_rule_init(struct trace_pid_rule *r,
			 const struct ptrc_config *config)
{
	bool separate = config->output_separately;
	/* A syslog stream is a log file read later among other daemons'
	 * records: it gets -o's form. A pipe (-o '|CMD') is -o's too. */
	r->to_file = !separate && (config->output_path || config->syslog);
	r->column = r->to_file && (config->follow_forks || config->npids > 1);
	r->bracket = !separate && !r->to_file;
}

enum trace_pid_form trace_pid_form(struct trace_pid_rule *r,
				   unsigned tracees)
{
	if (r->to_file && tracees > 1)
		r->column = true;
	if (r->column)
		return TRACE_PID_COLUMN;
	if (r->bracket && tracees > 1)
		return TRACE_PID_BRACKET;
	return TRACE_PID_NONE;
}

void trace_put_pid(struct strbuf *sb, enum trace_pid_form form, pid_t tid,
		   const char *comm)
{
	size_t comm_len = comm ? strlen(comm) : 0;
	switch (form) {
	case TRACE_PID_NONE:
		return;
	case TRACE_PID_COLUMN:
		/* strace pads the bare pid only when no name follows it */
		sb_put_dec_pad(sb, (int)tid, comm_len ? 0 : -5);
		break;
	case TRACE_PID_BRACKET:
		sb_puts(sb, "[pid ");
		sb_put_dec_pad(sb, (int)tid, 5);
		break;
	}
	if (comm_len) {
		sb_putc(sb, '<');
		decode_put_bracketed(sb, comm, comm_len);
		sb_putc(sb, '>');
	}
	sb_puts(sb, form == TRACE_PID_BRACKET ? "] " : " ");
}
