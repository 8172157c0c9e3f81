/* -e inject=SET:TOKEN:... and -e fault=SET:TOKEN:..., as strace 6.1 reads
 * them. Tokens: error=E (name in any case, or 1..4095), retval=N,
 * signal=S, delay_enter=T, delay_exit=T (T: a number of microseconds, or
 * with a suffix s, ms, us, ns), when=F, F+, F+S, F..L, F..L+S, and
 * syscall=NAME (a %pure call made instead). fault= takes only error=,
 * when= and syscall=, and fails with ENOSYS by default. The last
 * expression naming a syscall is the one that applies to it. */
#include "inject.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_names.h"
#include "ptrc/syscalls.h"
#include "syscall_set.h"

/* A decimal of 0..MAX at *P, which is moved past it; -1 when there is no
 * digit or it is too big. */
static long number_at(const char **p, long max)
{
	const char *s = *p;
	long n = 0;
	if (*s < '0' || *s > '9')
		return -1;
	for (; *s >= '0' && *s <= '9'; s++) {
		n = n * 10 + (*s - '0');
		if (n > max)
			return -1;
	}
	*p = s;
	return n;
}

/* when=F, F+, F+S, F..L, F..L+, F..L+S (strace's meanings: F alone is
 * the F-th call only; F+ every call from the F-th on). */
static bool parse_when(const char *s, struct inject_rule *rule)
{
	long first = number_at(&s, 0xffff);
	if (first < 1)
		return false;
	rule->first = (uint16_t)first;
	rule->last = INJECT_LAST_INF;
	if (s[0] == '.') {
		if (s[1] != '.')
			return false;
		s += 2;
		long last = number_at(&s, 0xffff);
		if (last < first || last == INJECT_LAST_INF)
			return false;
		rule->last = (uint16_t)last;
	}
	if (*s == '\0') {
		rule->step = rule->last == INJECT_LAST_INF ? 0 : 1;
		return true;
	}
	if (*s++ != '+')
		return false;
	if (*s == '\0') {
		rule->step = 1;
		return true;
	}
	long step = number_at(&s, 0xffff);
	if (step < 1 || *s)
		return false;
	rule->step = (uint16_t)step;
	return true;
}

/* A delay: an integer or a decimal number, then s, ms, us (the default)
 * or ns. */
static bool parse_delay(const char *s, uint64_t *us)
{
	static const struct { const char *suffix; double scale; } units[] = {
		{ "", 1 }, { "s", 1e6 }, { "ms", 1e3 }, { "us", 1 },
		{ "ns", 1e-3 },
	};
	if ((*s < '0' || *s > '9') && *s != '.')
		return false;
	char *end;
	errno = 0;
	double value = strtod(s, &end);
	const char *odd = strpbrk(s, "xXpPiInN");  /* hex, inf, nan */
	if (end == s || errno || value < 0 || (odd && odd < end))
		return false;
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
		if (!strcmp(end, units[i].suffix)) {
			double total = value * units[i].scale;
			if (total > 1e15)  /* some 30 years: surely a mistake */
				return false;
			*us = (uint64_t)total;
			return true;
		}
	return false;
}

/* retval=N: any 64-bit number (strtoull, base 0); a value the tracee
 * would read as an error is warned about, as strace does. */
static bool parse_retval(const char *s, struct inject_rule *rule)
{
	if (*s == '\0')
		return false;  /* "-1" is ULLONG_MAX, as strtoull (and strace) read it */
	char *end;
	errno = 0;
	unsigned long long n = strtoull(s, &end, 0);
	if (*end || errno)
		return false;
	if ((long long)n < 0 && (long long)n >= -4095)
		fprintf(stderr, "ptrc: Inadvertent injection of error %lld is "
			"possible for retval=%llu\n", -(long long)n, n);
	else if ((int)n < 0 && (int)n >= -4095)
		fprintf(stderr, "ptrc: Inadvertent injection of error %d is "
			"possible in compat personality for retval=%llu\n",
			-(int)n, n);
	else if ((unsigned)n != n)
		fprintf(stderr, "ptrc: Injected return value %llu will be "
			"clipped to %u in compat personality\n", n, (unsigned)n);
	rule->retval = true;
	rule->value = n;
	return true;
}

static bool parse_replacement(const char *name, struct inject_rule *rule)
{
	if (rule->replace_sig >= 0)
		return false;
	for (unsigned i = 0; i < syscall_sig_count; i++)
		if (!strcmp(syscall_sigs[i].name, name)) {
			/* only calls with no side effect stand in */
			if (!(syscall_sigs[i].classes & SC_PURE))
				return false;
			rule->replace_sig = (int)i;
			return true;
		}
	return false;
}

static bool parse_token(const char *token, bool fault, struct inject_rule *rule)
{
	const char *eq = strchr(token, '=');
	if (!eq)
		return false;
	size_t len = (size_t)(eq - token);
	const char *value = eq + 1;
#define KEY(name) (len == strlen(name) && !strncmp(token, name, len))
	if (KEY("when"))
		return parse_when(value, rule);
	if (KEY("syscall"))
		return parse_replacement(value, rule);
	if (KEY("error")) {
		int err = cli_errno_number(value);
		if (rule->error || rule->retval || err < 1)
			return false;
		rule->error = true;
		rule->value = (uint64_t)err;
		return true;
	}
	if (fault)
		return false;
	if (KEY("retval"))
		return !rule->error && !rule->retval && parse_retval(value, rule);
	if (KEY("signal")) {
		int sig = cli_signal_number(value);
		if (rule->signal || sig < 1 || sig > 64)
			return false;
		rule->signal = sig;
		return true;
	}
	if (KEY("delay_enter")) {
		if (rule->delay_enter)
			return false;
		return rule->delay_enter = parse_delay(value, &rule->delay_enter_us);
	}
	if (KEY("delay_exit")) {
		if (rule->delay_exit)
			return false;
		return rule->delay_exit = parse_delay(value, &rule->delay_exit_us);
	}
	if (KEY("poke_enter") || KEY("poke_exit"))
		fprintf(stderr, "ptrc: inject %.*s= is not implemented\n",
			(int)len, token);
#undef KEY
	return false;
}

/* Record RULE for every syscall in SET. */
static int add_rule(struct ptrc_config *config, const struct inject_rule *rule,
		    const uint8_t *set)
{
	if (config->ninject_rules >= 0xfffe)
		return -1;
	struct inject_rule *rules = realloc(config->inject_rules,
		(config->ninject_rules + 1) * sizeof *rules);
	if (!rules)
		return -1;
	config->inject_rules = rules;
	if (!config->inject_of_sig) {
		config->inject_of_sig = calloc(PTRC_ARCH_COUNT * syscall_sig_count,
					       sizeof *config->inject_of_sig);
		if (!config->inject_of_sig)
			return -1;
	}
	rules[config->ninject_rules++] = *rule;
	for (unsigned a = 0; a < PTRC_ARCH_COUNT; a++)
		for (unsigned i = 0; i < syscall_sig_count; i++)
			if (cli_set_has(set, a, i))
				config->inject_of_sig[a * syscall_sig_count + i] =
					(uint16_t)config->ninject_rules;
	return 0;
}

int parse_inject_expression(const char *value, bool fault,
			    struct ptrc_config *config)
{
	const char *what = fault ? "fault argument" : "inject argument";
	struct inject_rule rule = {
		.first = 1, .last = INJECT_LAST_INF, .step = 1,
		.replace_sig = -1,
	};
	if (value[0] == '\0' || value[0] == ':')
		return cli_invalid(what, value);
	char *copy = strdup(value);
	if (!copy)
		return -1;
	char *save = NULL;
	const char *set_text = strtok_r(copy, ":", &save);
	bool ok = true;
	for (char *token = strtok_r(NULL, ":", &save); token && ok;
	     token = strtok_r(NULL, ":", &save))
		ok = parse_token(token, fault, &rule);
	uint8_t *set = ok ? cli_parse_syscall_set(set_text) : NULL;
	free(copy);
	if (!ok)
		return cli_invalid(what, value);
	if (!set)
		return -1;
	if (!rule.error && !rule.retval && !rule.signal && !rule.delay_enter &&
	    !rule.delay_exit) {
		if (!fault) {
			free(set);
			return cli_invalid(what, value);
		}
		rule.error = true;  /* fault='s default */
		rule.value = ENOSYS;
	}
	int result = add_rule(config, &rule, set);
	free(set);
	return result;
}
