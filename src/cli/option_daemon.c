/* The handlers of the options of crash reports, stacks, core files and
 * the daemon workflow (--background, --syslog, --postlog, --tree), for
 * option_table.c's table. */
#include "option_daemon.h"

#include <string.h>
#include <syslog.h>

#include "ptrc/stack.h"
#include "ptrc/syslog_sink.h"
#include "usage.h"

/* --syslog and the options that imply it. */
static void want_syslog(struct ptrc_config *config)
{
	if (!config->syslog) {
		config->syslog = true;
		config->syslog_priority = LOG_MAIL | LOG_INFO;
	}
}

enum parse_result opt_crash(struct option_parse *p, const char *arg)
{
	(void)arg;
	p->config->crash = true;
	return PARSE_OK;
}

enum parse_result opt_on_crash(struct option_parse *p, const char *arg)
{
	if (!strcmp(arg, "hold"))
		p->config->on_crash = ON_CRASH_HOLD;
	else if (!strcmp(arg, "deliver"))
		p->config->on_crash = ON_CRASH_DELIVER;
	else
		return usage_error("invalid --on-crash '%s' (hold or "
				   "deliver)", arg);
	return PARSE_OK;
}

enum parse_result opt_crash_signals(struct option_parse *p, const char *arg)
{
	if (!strcmp(arg, "faults"))
		p->config->crash_signals = CRASH_SIGNALS_FAULTS;
	else if (!strcmp(arg, "all"))
		p->config->crash_signals = CRASH_SIGNALS_ALL;
	else
		return usage_error("invalid --crash-signals '%s' (faults or "
				   "all)", arg);
	return PARSE_OK;
}

enum parse_result opt_crash_env(struct option_parse *p, const char *arg)
{
	(void)arg;
	p->config->crash_env = true;
	return PARSE_OK;
}

enum parse_result opt_unwinder(struct option_parse *p, const char *arg)
{
	int r = stack_backend_from_name(arg);
	if (r < 0)
		return usage_error("invalid unwinder '%s' (libdw or "
				   "libunwind)", arg);
	p->config->unwinder = r;
	return PARSE_OK;
}

enum parse_result opt_tree(struct option_parse *p, const char *arg)
{
	(void)arg;
	p->config->attach_tree = true;
	return PARSE_OK;
}

enum parse_result opt_values(struct option_parse *p, const char *arg)
{
	(void)arg;
	p->config->stack_values = true;
	if (!strcmp(p->option->long_name, "locals"))
		p->config->stack_locals = true;
	return PARSE_OK;
}

enum parse_result opt_core(struct option_parse *p, const char *arg)
{
	if (!*arg)
		return usage_error("%s", "empty core file name");
	p->config->core_path = arg;
	return PARSE_OK;
}

enum parse_result opt_exe(struct option_parse *p, const char *arg)
{
	if (!*arg)
		return usage_error("%s", "empty executable path");
	p->config->core_exe = arg;
	return PARSE_OK;
}

enum parse_result opt_background(struct option_parse *p,
					const char *arg)
{
	(void)arg;
	p->config->background = true;
	return PARSE_OK;
}

enum parse_result opt_syslog(struct option_parse *p, const char *arg)
{
	want_syslog(p->config);
	if (arg && !syslog_parse_priority(arg, &p->config->syslog_priority))
		return usage_error("invalid syslog priority '%s' (for "
				   "example mail.info)", arg);
	return PARSE_OK;
}

/* --syslog-socket=PATH; --postlog[=PATH] too, through opt_postlog. */
enum parse_result opt_syslog_socket(struct option_parse *p,
					   const char *arg)
{
	want_syslog(p->config);
	if (arg && !*arg)
		return usage_error("%s", "empty socket path");
	if (arg)
		p->config->syslog_socket = arg;
	return PARSE_OK;
}

enum parse_result opt_postlog(struct option_parse *p, const char *arg)
{
	enum parse_result r = opt_syslog_socket(p, arg);
	if (r == PARSE_OK)
		p->config->syslog_postlog = true;
	return r;
}
