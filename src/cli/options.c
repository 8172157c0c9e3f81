/* The shape of ptrc's command line: COMMAND, options (option_table.c),
 * the rules between options, then run's command or the PIDs. */
#include "options.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "option_output.h"
#include "option_refused.h"
#include "option_table.h"
#include "peer_list.h"
#include "ptrc/lcall.h"
#include "ptrc/stack.h"
#include "usage.h"

/* attach and stack: PID [PID...] */
static enum parse_result parse_pids(int argc, char **argv,
				    struct ptrc_config *config)
{
	if (argc <= 0 && config->npids == 0)
		return usage_error("%s", config->command == CMD_STACK ?
				   "stack needs at least one PID" :
				   "attach needs at least one PID");
	/* after any -p PID */
	pid_t *pids = realloc(config->pids,
			      (config->npids + (size_t)argc + 1) * sizeof *pids);
	if (!pids)
		return usage_error("%s", "out of memory");
	config->pids = pids;
	for (int i = 0; i < argc; i++) {
		unsigned long pid;
		if (!parse_decimal(argv[i], INT_MAX, &pid) || pid == 0)
			return usage_error("invalid PID '%s'", argv[i]);
		config->pids[config->npids++] = (pid_t)pid;
	}
	return PARSE_OK;
}

/* ---- getopt_long, from option_specs ---- */

/* getopt_long's value for a long option without a short letter: this
 * plus its index in option_specs (above any character). */
#define LONG_ONLY_BASE 1000

/* getopt_long's view of option_specs: "+:o:fs:..." ('+': options end at
 * the first word that is not one, so the command keeps its own; ':': a
 * missing argument is told apart from an unknown option) and the long
 * options. */
static void make_getopt_tables(char *shorts, struct option *longs)
{
	char *s = shorts;
	struct option *l = longs;
	*s++ = '+';
	*s++ = ':';
	for (size_t i = 0; i < option_spec_count; i++) {
		const struct option_spec *o = &option_specs[i];
		if (o->short_name) {
			*s++ = o->short_name;
			if (o->has_arg == required_argument)
				*s++ = ':';
		}
		if (o->long_name)
			*l++ = (struct option){ o->long_name, o->has_arg, NULL,
				o->short_name ? o->short_name :
				LONG_ONLY_BASE + (int)i };
	}
	*s = '\0';
	*l = (struct option){ NULL, 0, NULL, 0 };
}

/* The entry of getopt_long's return value C, or NULL for an unknown
 * option ('?'). */
static const struct option_spec *find_option(int c)
{
	if (c >= LONG_ONLY_BASE &&
	    (size_t)(c - LONG_ONLY_BASE) < option_spec_count)
		return &option_specs[c - LONG_ONLY_BASE];
	for (size_t i = 0; i < option_spec_count; i++)
		if (option_specs[i].short_name == c)
			return &option_specs[i];
	return NULL;
}

/* The option getopt_long stopped at, as the user wrote it: WORD for a
 * long option, "-C" for a short one (WORD may hold several: "-fq"). */
static const char *option_word(const char *word)
{
	static char one[3];
	if (word[0] == '-' && word[1] == '-')
		return word;
	one[0] = '-';
	one[1] = (char)optopt;
	one[2] = '\0';
	return optopt > 0 && optopt < 128 ? one : word;
}

/* Is O one of LETTERS or NAMES? */
static bool option_among(const struct option_spec *o, const char *letters,
			 const char *const *names)
{
	if (o->short_name)
		return strchr(letters, o->short_name) != NULL;
	for (size_t i = 0; names[i]; i++)
		if (!strcmp(o->long_name, names[i]))
			return true;
	return false;
}

/* ptrc stack takes only these; the others are the trace's. */
static bool stack_takes(const struct option_spec *o)
{
	static const char *const names[] = { "json", "unwinder", "values",
		"locals", "core", "exe", NULL };
	return option_among(o, "oAphV", names);
}

/* ptrc triage takes only these: it reads files, traces nothing. */
static bool triage_takes(const struct option_spec *o)
{
	static const char *const names[] = { "json", NULL };
	return option_among(o, "ohV", names);
}

/* ptrc report takes only these. */
static bool report_takes(const struct option_spec *o)
{
	static const char *const names[] = { "json", "core", "exe", NULL };
	return option_among(o, "oAhV", names);
}

/* What --crash uses: where the report goes, which processes, how
 * stacks are walked. The syscall trace's options would be ignored. */
static bool crash_takes(const struct option_spec *o)
{
	static const char *const names[] = {
		"json", "unwinder", "crash", "on-crash", "crash-env",
		"crash-signals", "background", "syslog", "syslog-socket",
		"postlog", "follow-forks", "tree", NULL };
	return option_among(o, "oAfphV", names);
}

/* "-s" or "--json": how O is written. */
static void option_name(const struct option_spec *o, char *word, size_t size)
{
	if (o->short_name)
		snprintf(word, size, "-%c", o->short_name);
	else
		snprintf(word, size, "--%s", o->long_name);
}

static enum parse_result refuse_for_stack(const struct option_spec *o)
{
	char word[64];
	option_name(o, word, sizeof word);
	return usage_error("ptrc stack takes only -o, -A, -p, --json, "
			   "--unwinder, --values, --locals, --core and --exe; "
			   "%s is for run and attach", word);
}

static enum parse_result refuse_for_triage(const struct option_spec *o)
{
	char word[64];
	option_name(o, word, sizeof word);
	return usage_error("ptrc triage takes only -o and --json; %s is for "
			   "run and attach", word);
}

static enum parse_result refuse_for_report(const struct option_spec *o)
{
	char word[64];
	option_name(o, word, sizeof word);
	return usage_error("ptrc report takes only -o, -A, --json, --core and "
			   "--exe; %s is not for it", word);
}

/* --crash with an option of the syscall trace (which it would ignore). */
static enum parse_result check_crash_options(const struct option_parse *p)
{
	if (!p->config->crash)
		return PARSE_OK;
	char word[64];
	if (p->not_for_crash) {
		option_name(p->not_for_crash, word, sizeof word);
		return usage_error("--crash writes crash reports, not the "
				   "syscall trace: %s is not for it", word);
	}
	if (p->config->output_separately)
		return usage_error("%s", "--crash writes one report file: "
				   "-ff/--output-separately is not for it");
	return PARSE_OK;
}

/* An option getopt does not know (WORD as option_word gives it): one of
 * strace's that ptrc does not implement, or unknown. */
static enum parse_result refuse_option(const char *word)
{
	const char *why = NULL, *full = NULL;
	if (word[0] == '-' && word[1] == '-') {
		const char *name = word + 2;
		size_t len = strcspn(name, "=");
		/* getopt also refuses an abbreviation of several of ptrc's
		 * own: that is ambiguous, not one of strace's. */
		for (size_t i = 0; i < option_spec_count; i++)
			if (option_specs[i].long_name &&
			    !strncmp(option_specs[i].long_name, name, len))
				return usage_error("ambiguous or unknown option "
						   "'%s'", word);
		why = option_refused_long(name, len, &full);
	} else if (word[0] == '-' && word[1] && !word[2]) {
		why = option_refused_short(word[1]);
	}
	if (!why)
		return usage_error("unknown option '%s'", word);
	char text[200];
	if (full)
		snprintf(text, sizeof text, "--%s (strace's: %s)", full, why);
	else
		snprintf(text, sizeof text, "%s (strace's: %s)", word, why);
	return usage_not_implemented("%s", text);
}

/* ---- the command line ---- */

/* argv[1]: the command, or --help, --version. */
static enum parse_result parse_command(int argc, char **argv,
				       struct ptrc_config *config)
{
	if (argc < 2)
		return usage_error("%s", "missing command: run, attach, stack, "
				   "triage or report");
	const char *command = argv[1];
	if (!strcmp(command, "--help") || !strcmp(command, "-h"))
		return usage_print_help();
	if (!strcmp(command, "--version") || !strcmp(command, "-V"))
		return usage_print_version();
	if (!strcmp(command, "run"))
		config->command = CMD_RUN;
	else if (!strcmp(command, "attach"))
		config->command = CMD_ATTACH;
	else if (!strcmp(command, "stack"))
		config->command = CMD_STACK;
	else if (!strcmp(command, "triage"))
		config->command = CMD_TRIAGE;
	else if (!strcmp(command, "report"))
		config->command = CMD_REPORT;
	else if (command[0] == '-')
		return usage_error("the command comes first: ptrc run|attach|stack|"
				   "triage|report [options] ... (got '%s')",
				   command);
	else
		return usage_error("unknown command '%s'", command);
	return PARSE_OK;
}

/* The options after the command, up to the first other word; *NEXT is
 * where that word is in ARGV. */
static enum parse_result parse_option_words(int argc, char **argv,
					    struct option_parse *p, int *next)
{
	char shorts[2 * OPTION_SPEC_MAX + 3];
	struct option longs[OPTION_SPEC_MAX + 1];
	make_getopt_tables(shorts, longs);
	optind = 0;  /* 0: glibc forgets any state of an earlier parse */
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
		if (c == ':')
			return usage_error("option '%s' needs an argument",
					   option_word(argv[optind - 1]));
		const struct option_spec *o = find_option(c);
		if (!o)
			return refuse_option(option_word(argv[optind - 1]));
		if (p->config->command == CMD_STACK && !stack_takes(o))
			return refuse_for_stack(o);
		if (p->config->command == CMD_TRIAGE && !triage_takes(o))
			return refuse_for_triage(o);
		if (p->config->command == CMD_REPORT && !report_takes(o))
			return refuse_for_report(o);
		if (!p->not_for_crash && !crash_takes(o))
			p->not_for_crash = o;
		p->option = o;
		enum parse_result r = o->handle(p, optarg);
		if (r != PARSE_OK)
			return r;
	}
	*next = optind;
	return PARSE_OK;
}

/* The counted options (-t, -f in option_output.c; -x) and their long
 * forms. */
static enum parse_result apply_counts(struct option_parse *p)
{
	struct ptrc_config *config = p->config;
	if (p->x_count && p->hex_long)
		return usage_error("%s", "-x and --strings-in-hex cannot be "
				   "given together");
	unsigned x = p->hex_long ? (unsigned)p->hex_long_value : p->x_count;
	config->escape = x >= 2 ? ESCAPE_HEX_ALL :
			 x == 1 ? ESCAPE_HEX_NONASCII : ESCAPE_C;
	return option_output_settle(p);
}

/* -q (attach,personality), -qq (and exit), -qqq (all), as strace, which
 * refuses them beside -e quiet= / --quiet, and takes `-o FILE COMMAND`
 * as -q unless told. */
static enum parse_result apply_quiet(const struct option_parse *p)
{
	struct ptrc_config *config = p->config;
	bool by_expression = config->quiet & QUIET_SET_BY_EXPRESSION;
	unsigned q = p->q_count;
	if (q && by_expression)
		return usage_error("%s", "-q and -e quiet/--quiet cannot be "
				   "provided simultaneously");
	if (!q && !by_expression && config->output_path &&
	    config->command == CMD_RUN)
		q = 1;
	if (q == 1)
		config->quiet = QUIET_ATTACH | QUIET_PERSONALITY;
	else if (q == 2)
		config->quiet = QUIET_ATTACH | QUIET_PERSONALITY | QUIET_EXIT;
	else if (q >= 3)
		config->quiet = QUIET_ATTACH | QUIET_PERSONALITY | QUIET_EXIT |
				QUIET_PATH_RESOLVE | QUIET_THREAD_EXECVE;
	return PARSE_OK;
}

/* -y (path), -yy (all), as strace 6.1, which refuses them beside
 * --decode-fds / -e decode-fds=. */
static enum parse_result apply_decode_fds(const struct option_parse *p)
{
	struct ptrc_config *config = p->config;
	if (p->y_count && (config->decode_fds & DECODE_FD_SET_BY_OPTION))
		return usage_error("%s", "-y and --decode-fds cannot be "
				   "provided simultaneously");
	if (p->y_count)
		config->decode_fds = p->y_count == 1 ? DECODE_FD_PATH :
						       DECODE_FD_ALL;
	config->decode_fds &= DECODE_FD_ALL;
	return PARSE_OK;
}

/* -l: is there a pattern without "!"? (Each -l was checked when given.) */
static bool lcall_spec_selects(const char *spec)
{
	struct lcall_patterns p = { NULL, 0 };
	char err[200];
	bool some = lcall_patterns_parse(spec, &p, err, sizeof err) == 0 &&
		    lcall_patterns_select_some(&p);
	lcall_patterns_free(&p);
	return some;
}

/* Options that need another, exclude one, or are for another command.
 * The first broken rule is the message. */
static enum parse_result check_combinations(const struct ptrc_config *config)
{
	if ((config->run_user || config->nenv_changes) &&
	    config->command != CMD_RUN)
		return usage_error("%s", "-u and -E are for run (the command "
				   "ptrc starts)");
	if (config->run_user && (getuid() != 0 || geteuid() != 0))
		return usage_error("%s", "you must be root to use -u");
	if (config->stack_values && config->command != CMD_STACK)
		return usage_error("%s", "--values and --locals are for ptrc stack "
				   "(a crash report always has them)");
	if (config->detach_on_execve && config->command == CMD_STACK)
		return usage_error("%s", "-b is for run and attach");
	if (config->detach_on_execve && config->lcall_spec)
		return usage_error("%s", "-b and -l cannot go together");
	if (config->summary_wall && config->summary == SUMMARY_NONE)
		return usage_error("%s", "-w must be given with -c or -C");
	if (config->summary_columns[0] != SUMMARY_COL_NONE &&
	    config->summary == SUMMARY_NONE)
		return usage_error("%s", "-U must be given with -c or -C");
	if (config->background && config->command != CMD_ATTACH)
		return usage_error("%s", "--background is for attach");
	if (config->attach_tree && config->command != CMD_ATTACH)
		return usage_error("%s", "--tree is for attach");
	if (config->background && !config->output_path && !config->syslog)
		return usage_error("%s", "--background needs -o FILE or --syslog "
				   "(its stderr is /dev/null)");
	if (config->syslog && config->output_path)
		return usage_error("%s", "-o and --syslog both name the output; "
				   "choose one");
	if (config->npids && config->command == CMD_RUN)
		return usage_error("%s", "-p PID is for attach (ptrc attach PID)");
	if (config->core_path && config->command != CMD_STACK &&
	    config->command != CMD_REPORT)
		return usage_error("%s", "--core is for ptrc stack and ptrc "
				   "report");
	if (config->command == CMD_REPORT && !config->core_path)
		return usage_error("%s", "report needs --core FILE (a live "
				   "process's report: ptrc attach --crash)");
	if (config->core_exe && !config->core_path)
		return usage_error("%s", "--exe needs --core (the executable "
				   "of the core)");
	if (config->core_path && config->unwinder != STACK_BACKEND_LIBDW)
		return usage_error("%s", "--core walks with libdw: "
				   "--unwinder=libunwind is for live processes");
	if (config->crash && config->syscall_stacks)
		return usage_error("%s", "-k traces syscalls; --crash does not");
	if (config->on_crash == ON_CRASH_HOLD && !config->crash)
		return usage_error("%s", "--on-crash=hold needs --crash");
	if (config->crash_signals && !config->crash)
		return usage_error("%s", "--crash-signals chooses which signals "
				   "get a crash report: it needs --crash");
	if (config->crash_env && !config->crash)
		return usage_error("%s", "--crash-env adds the environment to "
				   "crash reports: it needs --crash");
	if (config->lcall_spec && (config->crash || config->command == CMD_STACK))
		return usage_error("%s", "-l traces library calls: for run and "
				   "attach, without --crash");
	if (config->lcall_spec && !lcall_spec_selects(config->lcall_spec))
		return usage_error("%s", "-l '!FUNC' leaves FUNC out of what the "
				   "other -l patterns select: give one without '!'");
	if (!config->lcall_spec && config->lcall_dump)
		return usage_error("%s", "-e dump needs -l (SSL_read,SSL_write...)");
	if (!config->lcall_spec && config->nlcall_callers)
		return usage_error("%s", "-L needs -l");
	if (config->lcall_spec && config->summary)
		return usage_error("%s", "-c and -C are for syscalls, not -l");
	return PARSE_OK;
}

/* What comes after the options: run's command, or the PIDs. */
static enum parse_result parse_operands(int argc, char **argv,
					struct ptrc_config *config)
{
	if (config->command == CMD_RUN) {
		if (argc <= 0)
			return usage_error("%s", "run needs a COMMAND");
		config->argv = argv;
		return PARSE_OK;
	}
	if (config->command == CMD_TRIAGE) {
		if (argc <= 0)
			return usage_error("%s", "triage needs at least one FILE "
					   "(crash reports of --crash)");
		config->argv = argv;
		return PARSE_OK;
	}
	if (config->core_path && (argc > 0 || config->npids))
		return usage_error("%s", "--core reads a core file: no PID "
				   "with it");
	if (config->core_path)
		return PARSE_OK;
	return parse_pids(argc, argv, config);
}

enum parse_result parse_options(int argc, char **argv,
				struct ptrc_config *config)
{
	option_defaults(config);
	enum parse_result r = parse_command(argc, argv, config);
	if (r != PARSE_OK)
		return r;
	struct option_parse p = { .config = config };
	int next;
	/* from argv[1], the command: getopt_long skips its argv[0] */
	r = parse_option_words(argc - 1, argv + 1, &p, &next);
	if (r == PARSE_OK)
		r = apply_counts(&p);
	if (r == PARSE_OK)
		r = check_crash_options(&p);
	if (r == PARSE_OK)
		r = apply_quiet(&p);
	if (r == PARSE_OK)
		r = apply_decode_fds(&p);
	if (r == PARSE_OK)
		r = check_combinations(config);
	if (r == PARSE_OK)
		r = peer_list_finish(config);
	if (r != PARSE_OK)
		return r;
	return parse_operands(argc - 1 - next, argv + 1 + next, config);
}

void config_free(struct ptrc_config *config)
{
	free(config->lcall_spec);
	free(config->lcall_callers);
	config->lcall_spec = NULL;
	config->lcall_callers = NULL;
	free(config->pids);
	free(config->trace_set);
	free(config->paths);
	config->paths = NULL;
	free(config->peers);
	config->peers = NULL;
	free(config->transcript_dir);
	config->transcript_dir = NULL;
	config->npeers = 0;
	config->pids = NULL;
	config->trace_set = NULL;
	free(config->env_changes);
	config->env_changes = NULL;
	config->nenv_changes = 0;
	free(config->abbrev_set);
	free(config->raw_set);
	free(config->verbose_set);
	config->verbose_set = NULL;
	config->abbrev_set = config->raw_set = NULL;
	free(config->inject_rules);
	free(config->inject_of_sig);
	config->inject_rules = NULL;
	config->inject_of_sig = NULL;
	config->ninject_rules = 0;
}
