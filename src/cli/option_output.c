/* The options that shape where lines go and how each line starts, with
 * strace 6.1's spellings and argument forms: -o, -A, -ff and
 * --output-separately, -t/-tt/-ttt and --absolute-timestamps=, -r, -T's
 * precision, -a, -n, -i, -Y and --decode-pids=. The rules between them are
 * checked in options.c once every option is read. */
#include "option_output.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "usage.h"

/* strace's precisions: the digits after the second. */
static bool parse_precision(const char *text, unsigned *digits)
{
	static const struct {
		const char *name;
		unsigned digits;
	} units[] = { { "s", 0 }, { "ms", 3 }, { "us", 6 }, { "ns", 9 } };
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
		if (!strcmp(text, units[i].name)) {
			*digits = units[i].digits;
			return true;
		}
	return false;
}

/* One comma-separated word of --absolute-timestamps=: "[format:]none|
 * time|unix" or "[precision:]s|ms|us|ns" (the prefixes as strace takes
 * them, in any case). */
static bool parse_ts_word(char *word, struct ptrc_config *config,
			  bool *format_set)
{
	bool format_ok = true, precision_ok = true;
	if (!strncasecmp(word, "format:", 7)) {
		word += 7;
		precision_ok = false;
	} else if (!strncasecmp(word, "precision:", 10)) {
		word += 10;
		format_ok = false;
	}
	static const struct {
		const char *name;
		enum timestamp_format format;
	} formats[] = { { "none", TS_NONE }, { "time", TS_TIME },
			{ "unix", TS_UNIX } };
	for (size_t i = 0; format_ok && i < sizeof formats / sizeof formats[0]; i++)
		if (!strcasecmp(word, formats[i].name)) {
			config->timestamps = formats[i].format;
			*format_set = true;
			return true;
		}
	return precision_ok && parse_precision(word, &config->timestamp_digits);
}

/* --absolute-timestamps[=[[format:]F][,[precision:]P]]; the format is
 * "time" when none is named, the precision seconds until one is. */
enum parse_result opt_absolute_timestamps(struct option_parse *p,
					  const char *arg)
{
	struct ptrc_config *config = p->config;
	p->ts_long = true;
	char copy[128];
	if (arg && strlen(arg) >= sizeof copy)
		return usage_error("invalid --absolute-timestamps '%s'", arg);
	strcpy(copy, arg ? arg : "time");
	bool format_set = false;
	char *save = NULL;
	for (char *w = strtok_r(copy, ",", &save); w;
	     w = strtok_r(NULL, ",", &save))
		if (!parse_ts_word(w, config, &format_set))
			return usage_error("invalid --absolute-timestamps '%s' "
					   "([format:]none|time|unix, "
					   "[precision:]s|ms|us|ns)", arg);
	if (!format_set && config->timestamps == TS_NONE)
		config->timestamps = TS_TIME;
	return PARSE_OK;
}

/* -t, counted: -t seconds, -tt microseconds, -ttt since the epoch. */
enum parse_result opt_timestamps(struct option_parse *p, const char *arg)
{
	(void)arg;
	p->t_count++;
	return PARSE_OK;
}

/* -r, --relative-timestamps[=PRECISION]: microseconds unless told. */
enum parse_result opt_relative_timestamps(struct option_parse *p,
					  const char *arg)
{
	p->config->relative_timestamps = true;
	p->config->relative_digits = 6;
	if (arg && !parse_precision(arg, &p->config->relative_digits))
		return usage_error("invalid --relative-timestamps precision "
				   "'%s' (s, ms, us or ns)", arg);
	return PARSE_OK;
}

/* -T, --syscall-times[=PRECISION]. */
enum parse_result opt_syscall_times(struct option_parse *p, const char *arg)
{
	p->config->syscall_times = true;
	p->config->syscall_times_digits = 6;
	if (arg && !parse_precision(arg, &p->config->syscall_times_digits))
		return usage_error("invalid --syscall-times precision '%s' "
				   "(s, ms, us or ns)", arg);
	return PARSE_OK;
}

/* -a COLUMN, --columns=COLUMN. */
enum parse_result opt_columns(struct option_parse *p, const char *arg)
{
	unsigned long n;
	if (!parse_decimal(arg, 65535, &n))
		return usage_error("invalid column '%s'", arg);
	p->config->return_column = (unsigned)n;
	return PARSE_OK;
}

enum parse_result opt_syscall_number(struct option_parse *p, const char *arg)
{
	(void)arg;
	p->config->syscall_numbers = true;
	return PARSE_OK;
}

/* -i, --instruction-pointer. */
enum parse_result opt_instruction_pointer(struct option_parse *p,
					  const char *arg)
{
	(void)arg;
	p->config->instruction_pointer = true;
	return PARSE_OK;
}

/* -Y: --decode-pids=comm. */
enum parse_result opt_decode_pids_comm(struct option_parse *p,
				       const char *arg)
{
	(void)arg;
	p->config->decode_pids |= DECODE_PID_COMM;
	return PARSE_OK;
}

/* --decode-pids=comm. pidns (PIDs as seen from ptrc's namespace) is
 * refused: ptrc does not translate PIDs between namespaces. */
enum parse_result opt_decode_pids(struct option_parse *p, const char *arg)
{
	if (!strcmp(arg, "comm"))
		return opt_decode_pids_comm(p, arg);
	if (!strcmp(arg, "pidns") || !strcmp(arg, "all"))
		return usage_not_implemented("--decode-pids=%s", arg);
	return usage_error("invalid --decode-pids '%s' (comm)", arg);
}

enum parse_result opt_output(struct option_parse *p, const char *arg)
{
	if (!*arg)
		return usage_error("%s", "-o needs a file name");
	p->config->output_path = arg;
	return PARSE_OK;
}

/* -A, --output-append-mode. */
enum parse_result opt_append(struct option_parse *p, const char *arg)
{
	(void)arg;
	p->config->output_append = true;
	return PARSE_OK;
}

/* -f, counted: -ff is --follow-forks --output-separately. */
enum parse_result opt_follow(struct option_parse *p, const char *arg)
{
	(void)arg;
	p->f_count++;
	return PARSE_OK;
}

enum parse_result opt_follow_forks(struct option_parse *p, const char *arg)
{
	(void)arg;
	p->follow_long = true;
	return PARSE_OK;
}

enum parse_result opt_output_separately(struct option_parse *p,
					const char *arg)
{
	(void)arg;
	p->separately_long = true;
	return PARSE_OK;
}

/* What the counted and the long forms come to, with strace's refusals
 * of both forms at once. */
enum parse_result option_output_settle(struct option_parse *p)
{
	struct ptrc_config *config = p->config;
	if (p->t_count && p->ts_long)
		return usage_error("%s", "-t and --absolute-timestamps cannot "
				   "be given together");
	if (p->t_count) {
		config->timestamps = p->t_count >= 3 ? TS_UNIX : TS_TIME;
		config->timestamp_digits = p->t_count >= 2 ? 6 : 0;
	}
	if (p->f_count && p->follow_long)
		return usage_error("%s", "-f and --follow-forks cannot be "
				   "given together");
	if (p->f_count >= 2 && p->separately_long)
		return usage_error("%s", "-ff and --output-separately cannot "
				   "be given together");
	config->follow_forks = p->f_count || p->follow_long;
	/* As strace 6.1: without -o, -ff is -f and --output-separately
	 * changes nothing (there is one stderr); and a single -f overrides
	 * --output-separately (strace sets it from -f's count). */
	bool separately = p->f_count ? p->f_count >= 2 : p->separately_long;
	config->output_separately = config->output_path && separately;
	if (config->output_separately &&
	    (config->output_path[0] == '|' || config->output_path[0] == '!'))
		return usage_error("%s", "piping the output (-o '|CMD') and "
				   "-ff/--output-separately exclude each other");
	return PARSE_OK;
}
