/* Every option ptrc accepts and what it does to struct ptrc_config: one
 * small handler each, and the table options.c parses by. */
#include "option_table.h"

#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "filters.h"
#include "option_daemon.h"
#include "option_output.h"
#include "option_session.h"
#include "peer_list.h"
#include "summary_words.h"
#include "ptrc/lcall.h"
#include "ptrc/stack.h"
#include "ptrc/syslog_sink.h"
#include "usage.h"

/* ---- values of options ---- */

void option_defaults(struct ptrc_config *config)
{
	memset(config, 0, sizeof *config);
	config->string_limit = 32;
	config->escape = ESCAPE_C;
	config->signal_set = ~0ull;
	config->syscall_times_digits = 6;
	config->return_column = 40;
	config->summary_sort = SUMMARY_COL_TOTAL;  /* strace's -S time */
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

static enum parse_result opt_string_limit(struct option_parse *p,
					  const char *arg)
{
	unsigned long n;
	if (!parse_decimal(arg, 1u << 30, &n))
		return usage_error("invalid string limit '%s'", arg);
	p->config->string_limit = (unsigned)n;
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

/* --strings-in-hex[=none|non-ascii|all]: as no -x, -x, -xx. (strace's
 * non-ascii-chars, hex instead of octal escapes, is not implemented.) */
static enum parse_result opt_strings_in_hex(struct option_parse *p,
					    const char *arg)
{
	p->hex_long = true;
	if (!arg || !strcmp(arg, "all"))
		p->hex_long_value = 2;
	else if (!strcmp(arg, "non-ascii"))
		p->hex_long_value = 1;
	else if (!strcmp(arg, "none"))
		p->hex_long_value = 0;
	else if (!strcmp(arg, "non-ascii-chars"))
		return usage_not_implemented("--strings-in-hex=%s", arg);
	else
		return usage_error("invalid --strings-in-hex '%s' (none, "
				   "non-ascii or all)", arg);
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

/* -y (path), -yy (all): counted, applied after parsing (options.c). */
static enum parse_result opt_decode_fds(struct option_parse *p,
					const char *arg)
{
	(void)arg;
	p->y_count++;
	return PARSE_OK;
}

/* --decode-fds[=SET]: strace 6.1's path, socket, dev, pidfd, all, none,
 * "!" (without a SET: path). */
static enum parse_result opt_decode_fds_long(struct option_parse *p,
					     const char *arg)
{
	if (parse_decode_fds(arg ? arg : "path", p->config) < 0)
		return PARSE_USAGE_ERROR;
	return PARSE_OK;
}

/* strace's long forms of -e: --trace=SET is -e trace=SET. */
static enum parse_result qualify(struct option_parse *p, const char *key,
				 const char *arg)
{
	char expr[4096];
	size_t klen = strlen(key), alen = strlen(arg);
	if (klen + alen + 2 > sizeof expr)
		return usage_error("--%s: the set is too long", key);
	memcpy(expr, key, klen);
	expr[klen] = '=';
	memcpy(expr + klen + 1, arg, alen + 1);
	return opt_expression(p, expr);
}

/* --trace=, --status=, --signals=, --read=, --write=: the key is the
 * option's long name. */
static enum parse_result opt_expression_long(struct option_parse *p,
					     const char *arg)
{
	return qualify(p, p->option->long_name, arg);
}

/* -p PID, --attach=PID: attach's PIDs given as strace takes them (a list
 * separated by commas or blanks, repeatable). */
static enum parse_result opt_attach_pid(struct option_parse *p,
					const char *arg)
{
	struct ptrc_config *config = p->config;
	const char *s = arg;
	bool any = false;
	while (*s) {
		size_t len = strcspn(s, ", \t");
		if (len) {
			char word[32];
			unsigned long pid;
			snprintf(word, sizeof word, "%.*s", (int)(len < 31 ? len : 31), s);
			if (len > 31 || !parse_decimal(word, INT_MAX, &pid) || !pid)
				return usage_error("invalid PID in '%s'", arg);
			pid_t *grown = realloc(config->pids,
					       (config->npids + 1) * sizeof *grown);
			if (!grown)
				return usage_error("%s", "out of memory");
			grown[config->npids++] = (pid_t)pid;
			config->pids = grown;
			any = true;
		}
		s += len + (s[len] != '\0');
	}
	if (!any)
		return usage_error("invalid PID in '%s'", arg);
	return PARSE_OK;
}

/* --seccomp-bpf: what ptrc run does anyway with -e trace= (see
 * --no-seccomp); accepted as strace's spelling of the default. */
static enum parse_result opt_seccomp_bpf(struct option_parse *p,
					 const char *arg)
{
	(void)p, (void)arg;
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

/* Every option ptrc accepts, with strace's long names where strace has
 * the option; any other is refused, as not implemented when it is one
 * of strace's (option_refused.c), else as unknown. Which command an
 * option is for is checked once all are read (options.c), in a fixed
 * order that decides the message. */
const struct option_spec option_specs[] = {
	{ "output", 'o', required_argument, opt_output },
	{ "output-append-mode", 'A', no_argument, opt_append },
	{ "output-separately", 0, no_argument, opt_output_separately },
	{ NULL, 'f', no_argument, opt_follow },
	{ "follow-forks", 0, no_argument, opt_follow_forks },
	{ "attach", 'p', required_argument, opt_attach_pid },
	{ "string-limit", 's', required_argument, opt_string_limit },
	{ "detach-on", 'b', required_argument, opt_detach_on },
	{ "user", 'u', required_argument, opt_user },
	{ "env", 'E', required_argument, opt_env },
	{ NULL, 't', no_argument, opt_timestamps },
	{ "absolute-timestamps", 0, optional_argument, opt_absolute_timestamps },
	{ "timestamps", 0, optional_argument, opt_absolute_timestamps },
	{ "relative-timestamps", 'r', optional_argument, opt_relative_timestamps },
	{ "syscall-times", 'T', optional_argument, opt_syscall_times },
	{ "columns", 'a', required_argument, opt_columns },
	{ "syscall-number", 'n', no_argument, opt_syscall_number },
	{ "instruction-pointer", 'i', no_argument, opt_instruction_pointer },
	{ NULL, 'Y', no_argument, opt_decode_pids_comm },
	{ "decode-pids", 0, required_argument, opt_decode_pids },
	{ NULL, 'x', no_argument, opt_hex_strings },
	{ "strings-in-hex", 0, optional_argument, opt_strings_in_hex },
	{ "const-print-style", 'X', required_argument, opt_xlat_style },
	{ NULL, 'e', required_argument, opt_expression },
	{ "trace", 0, required_argument, opt_expression_long },
	{ "status", 0, required_argument, opt_expression_long },
	{ "signals", 0, required_argument, opt_expression_long },
	{ "read", 0, required_argument, opt_expression_long },
	{ "write", 0, required_argument, opt_expression_long },
	{ "inject", 0, required_argument, opt_expression_long },
	{ "fault", 0, required_argument, opt_expression_long },
	{ "raw", 0, required_argument, opt_expression_long },
	{ "abbrev", 0, required_argument, opt_expression_long },
	{ "verbose", 0, required_argument, opt_expression_long },
	{ "successful-only", 'z', no_argument, opt_successful },
	{ "failed-only", 'Z', no_argument, opt_failed },
	{ "failing-only", 0, no_argument, opt_failed },
	{ "trace-path", 'P', required_argument, opt_path },
	{ "peer", 0, required_argument, opt_peer },
	{ "transcript", 0, required_argument, opt_transcript },
	{ "pcap", 0, required_argument, opt_pcap },
	{ NULL, 'q', no_argument, opt_quiet_count },
	{ "quiet", 0, optional_argument, opt_quiet },
	{ "silent", 0, optional_argument, opt_quiet },
	{ "silence", 0, optional_argument, opt_quiet },
	{ NULL, 'y', no_argument, opt_decode_fds },
	{ "decode-fds", 0, optional_argument, opt_decode_fds_long },
	{ "no-abbrev", 'v', no_argument, opt_verbose },
	{ "summary-only", 'c', no_argument, opt_summary_only },
	{ "summary", 'C', no_argument, opt_summary_too },
	{ NULL, 'S', required_argument, opt_summary_sort },
	{ "summary-sort-by", 0, required_argument, opt_summary_sort },
	{ "summary-wall-clock", 'w', no_argument, opt_summary_wall },
	{ "stack-traces", 'k', no_argument, opt_syscall_stacks },
	{ "summary-columns", 'U', required_argument, opt_summary_columns },
	{ NULL, 'l', required_argument, opt_lcall },
	{ NULL, 'L', required_argument, opt_lcall_caller },
	{ "help", 'h', no_argument, opt_help },
	{ "version", 'V', no_argument, opt_version },
	{ "json", 0, no_argument, opt_json },
	{ "seccomp-bpf", 0, no_argument, opt_seccomp_bpf },
	{ "no-seccomp", 0, no_argument, opt_no_seccomp },
	{ "crash", 0, no_argument, opt_crash },
	{ "on-crash", 0, required_argument, opt_on_crash },
	{ "crash-env", 0, no_argument, opt_crash_env },
	{ "crash-signals", 0, required_argument, opt_crash_signals },
	{ "unwinder", 0, required_argument, opt_unwinder },
	{ "values", 0, no_argument, opt_values },
	{ "locals", 0, no_argument, opt_values },
	{ "core", 0, required_argument, opt_core },
	{ "exe", 0, required_argument, opt_exe },
	{ "background", 0, no_argument, opt_background },
	{ "tree", 0, no_argument, opt_tree },
	{ "syslog", 0, optional_argument, opt_syslog },
	{ "syslog-socket", 0, required_argument, opt_syslog_socket },
	{ "postlog", 0, optional_argument, opt_postlog },
};

const size_t option_spec_count = sizeof option_specs / sizeof option_specs[0];
_Static_assert(sizeof option_specs / sizeof option_specs[0] <= OPTION_SPEC_MAX,
	       "OPTION_SPEC_MAX: room for the getopt tables");
