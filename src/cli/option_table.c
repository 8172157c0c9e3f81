/* Every option ptrc accepts and what it does to struct ptrc_config: one
 * small handler each, and the table options.c parses by. */
#include "option_table.h"

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "filters.h"
#include "summary_words.h"
#include "ptrc/lcall.h"
#include "ptrc/stack.h"
#include "ptrc/syslog_sink.h"
#include "usage.h"

/* A decimal number no greater than MAX, without sign or other text. */
bool parse_decimal(const char *text, unsigned long max, unsigned long *out)
{
	char *end;
	errno = 0;
	if (!*text || *text == '-')
		return false;
	unsigned long v = strtoul(text, &end, 10);
	if (errno || *end || v > max)
		return false;
	*out = v;
	return true;
}

/* ---- values of options ---- */

void option_defaults(struct ptrc_config *config)
{
	memset(config, 0, sizeof *config);
	config->string_limit = 32;
	config->escape = ESCAPE_C;
	config->signal_set = ~0ull;
	config->summary_sort = SUMMARY_COL_TOTAL;  /* strace's -S time */
}

/* --syslog and the options that imply it. */
static void want_syslog(struct ptrc_config *config)
{
	if (!config->syslog) {
		config->syslog = true;
		config->syslog_priority = LOG_MAIL | LOG_INFO;
	}
}

static enum parse_result add_path(struct ptrc_config *config, const char *path)
{
	const char **paths = realloc(config->paths,
				     (config->npaths + 1) * sizeof *paths);
	if (!paths)
		return usage_error("%s", "out of memory");
	paths[config->npaths++] = path;
	config->paths = paths;
	return PARSE_OK;
}

/* -l SPEC (repeatable): checked now, kept joined with commas. */
static enum parse_result add_lcall_patterns(struct ptrc_config *config,
					    const char *spec)
{
	struct lcall_patterns patterns = { NULL, 0 };
	char err[200];
	int r = lcall_patterns_parse(spec, &patterns, err, sizeof err);
	lcall_patterns_free(&patterns);
	if (r < 0) {
		char message[300];
		snprintf(message, sizeof message, "-l '%s': %s", spec, err);
		return usage_error("%s", message);
	}
	size_t old = config->lcall_spec ? strlen(config->lcall_spec) + 1 : 0;
	char *joined = realloc(config->lcall_spec, old + strlen(spec) + 1);
	if (!joined)
		return usage_error("%s", "out of memory");
	if (old)
		joined[old - 1] = ',';
	strcpy(joined + old, spec);
	config->lcall_spec = joined;
	return PARSE_OK;
}

static enum parse_result add_lcall_caller(struct ptrc_config *config,
					  const char *glob)
{
	if (!*glob)
		return usage_error("%s", "-L needs a module name or pattern");
	const char **grown = realloc(config->lcall_callers,
				     (config->nlcall_callers + 1) * sizeof *grown);
	if (!grown)
		return usage_error("%s", "out of memory");
	grown[config->nlcall_callers++] = glob;
	config->lcall_callers = grown;
	return PARSE_OK;
}

/* ---- one handler per option ---- */

static enum parse_result opt_help(struct option_parse *p, const char *arg)
{
	(void)p, (void)arg;
	return usage_print_help();
}

static enum parse_result opt_version(struct option_parse *p, const char *arg)
{
	(void)p, (void)arg;
	return usage_print_version();
}

static enum parse_result opt_output(struct option_parse *p, const char *arg)
{
	p->config->output_path = arg;
	return PARSE_OK;
}

static enum parse_result opt_follow(struct option_parse *p, const char *arg)
{
	(void)arg;
	p->config->follow_forks = true;
	return PARSE_OK;
}

static enum parse_result opt_string_limit(struct option_parse *p,
					  const char *arg)
{
	unsigned long n;
	if (!parse_decimal(arg, 1u << 30, &n))
		return usage_error("invalid string limit '%s'", arg);
	p->config->string_limit = (unsigned)n;
	return PARSE_OK;
}

/* -t, counted: -tt is the wall clock in microseconds (options.c). */
static enum parse_result opt_timestamps(struct option_parse *p,
				       const char *arg)
{
	(void)arg;
	p->t_count++;
	return PARSE_OK;
}

static enum parse_result opt_syscall_times(struct option_parse *p,
					   const char *arg)
{
	(void)arg;
	p->config->syscall_times = true;
	return PARSE_OK;
}

/* -x, counted: -x non-ASCII strings in hex, -xx all. */
static enum parse_result opt_hex_strings(struct option_parse *p,
					const char *arg)
{
	(void)arg;
	p->x_count++;
	return PARSE_OK;
}

/* -X: how named constants print. */
static enum parse_result opt_xlat_style(struct option_parse *p,
					const char *arg)
{
	if (!strcmp(arg, "raw"))
		p->config->xlat_style = XLAT_STYLE_RAW;
	else if (!strcmp(arg, "abbrev"))
		p->config->xlat_style = XLAT_STYLE_ABBREV;
	else if (!strcmp(arg, "verbose"))
		p->config->xlat_style = XLAT_STYLE_VERBOSE;
	else
		return usage_error("invalid -X style '%s' "
				   "(raw, abbrev or verbose)", arg);
	return PARSE_OK;
}

static enum parse_result opt_expression(struct option_parse *p,
					const char *arg)
{
	if (parse_filter_expression(arg, p->config) < 0)
		return PARSE_USAGE_ERROR;
	return PARSE_OK;
}

/* -b SYSCALL, --detach-on=SYSCALL: strace knows execve alone. */
static enum parse_result opt_detach_on(struct option_parse *p, const char *arg)
{
	if (strcmp(arg, "execve") != 0)
		return usage_error("syscall '%s' for -b isn't supported "
				   "(only execve)", arg);
	p->config->detach_on_execve = true;
	return PARSE_OK;
}

/* -u USER, --user=USER: looked up now, used by run's child. */
static enum parse_result opt_user(struct option_parse *p, const char *arg)
{
	struct passwd *pw = getpwnam(arg);
	if (!pw)
		return usage_error("cannot find user '%s'", arg);
	p->config->run_user = arg;
	p->config->run_uid = pw->pw_uid;
	p->config->run_gid = pw->pw_gid;
	return PARSE_OK;
}

/* -E VAR=VAL, -E VAR, --env=...: kept in order for run's child. */
static enum parse_result opt_env(struct option_parse *p, const char *arg)
{
	struct ptrc_config *config = p->config;
	if (!*arg || *arg == '=')
		return usage_error("invalid -E argument '%s'", arg);
	const char **changes = realloc(config->env_changes,
		(config->nenv_changes + 1) * sizeof *changes);
	if (!changes)
		return usage_error("%s", "out of memory");
	changes[config->nenv_changes++] = arg;
	config->env_changes = changes;
	return PARSE_OK;
}

/* -q, -qq, -qqq: counted, applied by options.c. */
static enum parse_result opt_quiet_count(struct option_parse *p,
					 const char *arg)
{
	(void)arg;
	p->q_count++;
	return PARSE_OK;
}

/* --quiet[=SET] (--silent, --silence): strace's -e quiet=SET, and without
 * SET its -q. */
static enum parse_result opt_quiet(struct option_parse *p, const char *arg)
{
	if (parse_quiet(arg ? arg : "attach,personality", p->config) < 0)
		return PARSE_USAGE_ERROR;
	return PARSE_OK;
}

static enum parse_result opt_successful(struct option_parse *p,
					const char *arg)
{
	(void)arg;
	p->config->status_filter = STATUS_SUCCESSFUL;
	return PARSE_OK;
}

static enum parse_result opt_failed(struct option_parse *p, const char *arg)
{
	(void)arg;
	p->config->status_filter = STATUS_FAILED;
	return PARSE_OK;
}

static enum parse_result opt_path(struct option_parse *p, const char *arg)
{
	return add_path(p->config, arg);
}

static enum parse_result opt_decode_fds(struct option_parse *p,
					const char *arg)
{
	(void)arg;
	p->config->decode_fds++;
	return PARSE_OK;
}

static enum parse_result opt_verbose(struct option_parse *p, const char *arg)
{
	(void)arg;
	p->config->verbose = true;
	free(p->config->abbrev_set);  /* -v is abbrev=none: the later wins */
	p->config->abbrev_set = NULL;
	return PARSE_OK;
}

static enum parse_result opt_summary_only(struct option_parse *p,
					  const char *arg)
{
	(void)arg;
	if (p->config->summary == SUMMARY_TOO)  /* strace refuses both */
		return usage_error("%s", "-c and -C are mutually exclusive");
	p->config->summary = SUMMARY_ONLY;
	return PARSE_OK;
}

static enum parse_result opt_summary_too(struct option_parse *p,
					 const char *arg)
{
	(void)arg;
	if (p->config->summary == SUMMARY_ONLY)
		return usage_error("%s", "-c and -C are mutually exclusive");
	p->config->summary = SUMMARY_TOO;
	return PARSE_OK;
}

static enum parse_result opt_summary_sort(struct option_parse *p,
					  const char *arg)
{
	if (parse_summary_sort(arg, p->config) < 0)
		return PARSE_USAGE_ERROR;
	return PARSE_OK;
}

/* -U COLUMNS (--summary-columns): the -c table's columns. */
static enum parse_result opt_summary_columns(struct option_parse *p,
					     const char *arg)
{
	if (parse_summary_columns(arg, p->config) < 0)
		return PARSE_USAGE_ERROR;
	return PARSE_OK;
}

static enum parse_result opt_summary_wall(struct option_parse *p,
					  const char *arg)
{
	(void)arg;
	p->config->summary_wall = true;
	return PARSE_OK;
}

static enum parse_result opt_syscall_stacks(struct option_parse *p,
					    const char *arg)
{
	(void)arg;
	p->config->syscall_stacks = true;
	return PARSE_OK;
}

static enum parse_result opt_lcall(struct option_parse *p, const char *arg)
{
	return add_lcall_patterns(p->config, arg);
}

static enum parse_result opt_lcall_caller(struct option_parse *p,
					  const char *arg)
{
	return add_lcall_caller(p->config, arg);
}

static enum parse_result opt_json(struct option_parse *p, const char *arg)
{
	(void)arg;
	p->config->json = true;
	return PARSE_OK;
}

static enum parse_result opt_no_seccomp(struct option_parse *p,
					const char *arg)
{
	(void)arg;
	p->config->no_seccomp = true;
	return PARSE_OK;
}

static enum parse_result opt_crash(struct option_parse *p, const char *arg)
{
	(void)arg;
	p->config->crash = true;
	return PARSE_OK;
}

static enum parse_result opt_on_crash(struct option_parse *p, const char *arg)
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

static enum parse_result opt_unwinder(struct option_parse *p, const char *arg)
{
	int r = stack_backend_from_name(arg);
	if (r < 0)
		return usage_error("invalid unwinder '%s' (libdw or "
				   "libunwind)", arg);
	p->config->unwinder = r;
	return PARSE_OK;
}

static enum parse_result opt_background(struct option_parse *p,
					const char *arg)
{
	(void)arg;
	p->config->background = true;
	return PARSE_OK;
}

static enum parse_result opt_syslog(struct option_parse *p, const char *arg)
{
	want_syslog(p->config);
	if (arg && !syslog_parse_priority(arg, &p->config->syslog_priority))
		return usage_error("invalid syslog priority '%s' (for "
				   "example mail.info)", arg);
	return PARSE_OK;
}

/* --syslog-socket=PATH; --postlog[=PATH] too, through opt_postlog. */
static enum parse_result opt_syslog_socket(struct option_parse *p,
					   const char *arg)
{
	want_syslog(p->config);
	if (arg && !*arg)
		return usage_error("%s", "empty socket path");
	if (arg)
		p->config->syslog_socket = arg;
	return PARSE_OK;
}

static enum parse_result opt_postlog(struct option_parse *p, const char *arg)
{
	enum parse_result r = opt_syslog_socket(p, arg);
	if (r == PARSE_OK)
		p->config->syslog_postlog = true;
	return r;
}

/* Every option ptrc accepts; any other is refused as unknown. Which
 * command an option is for is checked once all are read
 * (options.c), in a fixed order that decides the message. */
const struct option_spec option_specs[OPTION_SPEC_COUNT] = {
	{ NULL, 'o', required_argument, opt_output },
	{ NULL, 'f', no_argument, opt_follow },
	{ "detach-on", 'b', required_argument, opt_detach_on },
	{ "user", 'u', required_argument, opt_user },
	{ "env", 'E', required_argument, opt_env },
	{ NULL, 's', required_argument, opt_string_limit },
	{ NULL, 't', no_argument, opt_timestamps },
	{ NULL, 'T', no_argument, opt_syscall_times },
	{ NULL, 'x', no_argument, opt_hex_strings },
	{ NULL, 'X', required_argument, opt_xlat_style },
	{ NULL, 'e', required_argument, opt_expression },
	{ NULL, 'q', no_argument, opt_quiet_count },
	{ "quiet", 0, optional_argument, opt_quiet },
	{ "silent", 0, optional_argument, opt_quiet },
	{ "silence", 0, optional_argument, opt_quiet },
	{ NULL, 'z', no_argument, opt_successful },
	{ NULL, 'Z', no_argument, opt_failed },
	{ NULL, 'P', required_argument, opt_path },
	{ NULL, 'y', no_argument, opt_decode_fds },
	{ NULL, 'v', no_argument, opt_verbose },
	{ NULL, 'c', no_argument, opt_summary_only },
	{ NULL, 'C', no_argument, opt_summary_too },
	{ NULL, 'S', required_argument, opt_summary_sort },
	{ "summary-columns", 'U', required_argument, opt_summary_columns },
	{ NULL, 'w', no_argument, opt_summary_wall },
	{ NULL, 'k', no_argument, opt_syscall_stacks },
	{ NULL, 'l', required_argument, opt_lcall },
	{ NULL, 'L', required_argument, opt_lcall_caller },
	{ "help", 'h', no_argument, opt_help },
	{ "version", 'V', no_argument, opt_version },
	{ "json", 0, no_argument, opt_json },
	{ "no-seccomp", 0, no_argument, opt_no_seccomp },
	{ "crash", 0, no_argument, opt_crash },
	{ "on-crash", 0, required_argument, opt_on_crash },
	{ "unwinder", 0, required_argument, opt_unwinder },
	{ "background", 0, no_argument, opt_background },
	{ "syslog", 0, optional_argument, opt_syslog },
	{ "syslog-socket", 0, required_argument, opt_syslog_socket },
	{ "postlog", 0, optional_argument, opt_postlog },
};
