/* The trace line's pid prefix (src/modes/trace_pid.c) on fabricated
 * pids and names: strace 6.1's forms byte for byte ("%-5u ", "%u<comm> ",
 * "[pid %5u] ", "[pid %5u<comm>] "), and when each applies. */
#include "check.h"
#include "modes/trace_pid.h"

static const char *pid_text(enum trace_pid_form form, pid_t tid,
			    const char *comm)
{
	static struct strbuf sb;
	sb_reset(&sb);
	trace_put_pid(&sb, form, tid, comm);
	return sb.len ? sb.data : "";
}

static void check_forms(void)
{
	CHECK_STR(pid_text(TRACE_PID_NONE, 42, "smtpd"), "");
	CHECK_STR(pid_text(TRACE_PID_COLUMN, 42, NULL), "42    ");
	CHECK_STR(pid_text(TRACE_PID_COLUMN, 12345, NULL), "12345 ");
	CHECK_STR(pid_text(TRACE_PID_COLUMN, 1234567, ""), "1234567 ");
	/* with a name strace does not pad the number */
	CHECK_STR(pid_text(TRACE_PID_COLUMN, 42, "smtpd"), "42<smtpd> ");
	CHECK_STR(pid_text(TRACE_PID_BRACKET, 42, NULL), "[pid    42] ");
	CHECK_STR(pid_text(TRACE_PID_BRACKET, 123456, NULL), "[pid 123456] ");
	CHECK_STR(pid_text(TRACE_PID_BRACKET, 42, "smtpd"), "[pid    42<smtpd>] ");
	CHECK_STR(pid_text(TRACE_PID_BRACKET, 42, ""), "[pid    42] ");
	/* a hostile name: brackets in octal, control bytes escaped */
	CHECK_STR(pid_text(TRACE_PID_COLUMN, 7, "a<b>c"), "7<a\\74b\\76c> ");
	CHECK_STR(pid_text(TRACE_PID_BRACKET, 7, "x>1\n\x1b"),
		  "[pid     7<x\\0761\\n\\33>] ");
}

static struct trace_pid_rule rule_of(const char *output, bool syslog,
				     bool follow, bool separately,
				     unsigned npids)
{
	struct ptrc_config config;
	memset(&config, 0, sizeof config);
	config.output_path = output;
	config.syslog = syslog;
	config.follow_forks = follow;
	config.output_separately = separately;
	config.npids = npids;
	struct trace_pid_rule r;
	trace_pid_rule_init(&r, &config);
	return r;
}

static void check_rules(void)
{
	/* stderr: the bracket while several tracees live, and only then */
	struct trace_pid_rule r = rule_of(NULL, false, true, false, 1);
	CHECK(trace_pid_form(&r, 1) == TRACE_PID_NONE);
	CHECK(trace_pid_form(&r, 2) == TRACE_PID_BRACKET);
	CHECK(trace_pid_form(&r, 1) == TRACE_PID_NONE);
	/* -o with -f: the column on every line, from the first */
	r = rule_of("f", false, true, false, 1);
	CHECK(trace_pid_form(&r, 1) == TRACE_PID_COLUMN);
	/* -o with several -p */
	r = rule_of("f", false, false, false, 2);
	CHECK(trace_pid_form(&r, 1) == TRACE_PID_COLUMN);
	/* -o alone: nothing; a second thread turns the column on for good */
	r = rule_of("f", false, false, false, 1);
	CHECK(trace_pid_form(&r, 1) == TRACE_PID_NONE);
	CHECK(trace_pid_form(&r, 2) == TRACE_PID_COLUMN);
	CHECK(trace_pid_form(&r, 1) == TRACE_PID_COLUMN);
	/* -ff: never */
	r = rule_of("f", false, true, true, 2);
	CHECK(trace_pid_form(&r, 1) == TRACE_PID_NONE);
	CHECK(trace_pid_form(&r, 3) == TRACE_PID_NONE);
	/* a pipe is -o's; syslog takes -o's form too */
	r = rule_of("|cat", false, true, false, 1);
	CHECK(trace_pid_form(&r, 1) == TRACE_PID_COLUMN);
	r = rule_of(NULL, true, true, false, 1);
	CHECK(trace_pid_form(&r, 1) == TRACE_PID_COLUMN);
	r = rule_of(NULL, true, false, false, 1);
	CHECK(trace_pid_form(&r, 1) == TRACE_PID_NONE);
	CHECK(trace_pid_form(&r, 2) == TRACE_PID_COLUMN);
}

int main(void)
{
	check_forms();
	check_rules();
	return check_result("trace_pid");
}
