/* Syscall sets in strace's -e syntax: a comma-separated list of names,
 * numbers, classes (%file, %network, ...) and /regexes matched against
 * names, each with an optional "?" before (no error when it matches
 * nothing) and "@64", "@32" or "@x32" after (that personality alone); a
 * leading "!" negates the whole list; "all" and "none" are understood. */
#include "syscall_set.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_names.h"
#include "ptrc/syscalls.h"

/* strace 6.1's classes; the names without "%" are its legacy ones. */
static const struct {
	const char *name;
	unsigned bits;
} classes[] = {
	{ "%desc", SC_DESC }, { "%file", SC_FILE }, { "%memory", SC_MEMORY },
	{ "%process", SC_PROCESS }, { "%creds", SC_CREDS },
	{ "%signal", SC_SIGNAL }, { "%ipc", SC_IPC }, { "%net", SC_NETWORK },
	{ "%network", SC_NETWORK }, { "%stat", SC_STAT }, { "%lstat", SC_LSTAT },
	{ "%fstat", SC_FSTAT }, { "%%stat", SC_STATLIKE },
	{ "%statfs", SC_STATFS }, { "%fstatfs", SC_FSTATFS },
	{ "%%statfs", SC_STATFSLIKE }, { "%pure", SC_PURE },
	{ "%clock", SC_CLOCK },
	{ "desc", SC_DESC }, { "file", SC_FILE }, { "memory", SC_MEMORY },
	{ "process", SC_PROCESS }, { "signal", SC_SIGNAL }, { "ipc", SC_IPC },
	{ "network", SC_NETWORK },
};

/* The architectures a "@64", "@32", "@x32" suffix names on this host, as
 * strace's personalities: a bit per enum ptrc_arch (0: one ptrc does not
 * trace, such as x32); -1 for a word that is no personality here. */
static long personality_arches(const char *word)
{
	bool x86 = arch_host() == PTRC_ARCH_X86_64;
	if (!strcmp(word, "64"))
		return 1l << arch_host();
	if (!strcmp(word, "32"))
		return x86 ? 1l << PTRC_ARCH_I386 : 0;
	if (!strcmp(word, "x32") && x86)
		return 0;
	return -1;
}

size_t cli_set_arch_bytes(void)
{
	return (syscall_sig_count + 7) / 8;
}

/* Syscall I in the maps of ARCHES (a bit per enum ptrc_arch). */
static void set_sig(uint8_t *set, unsigned long arches, unsigned i)
{
	for (unsigned a = 0; a < PTRC_ARCH_COUNT; a++)
		if (arches >> a & 1)
			set[a * cli_set_arch_bytes() + i / 8] |=
				(uint8_t)(1u << (i % 8));
}

/* A repetition of a repetition ("a++", "a*{9}", "a{2}{3}"): undefined in
 * POSIX EREs, and glibc's regcomp copies the repeated tree for each, so
 * that twenty-odd of them take gigabytes (found by tests/fuzz); so do
 * bounds nested in groups ("((a{99}){99}){99}"). Refused as an invalid
 * expression. */
static bool stacked_repetition(const char *re)
{
	bool after_repetition = false;
	unsigned long copies = 1;
	for (const char *p = re; *p; p++) {
		if (*p == '\\' && p[1]) {
			p++;
			after_repetition = false;
			continue;
		}
		bool repetition = *p == '*' || *p == '+' || *p == '?' || *p == '{';
		if (repetition && after_repetition)
			return true;
		if (*p == '{') {
			const char *close = strchr(p, '}');
			if (!close)
				return false;  /* regcomp judges it */
			/* Bounds multiply when nested: keep their product
			 * (an upper bound of the copies) small. */
			unsigned long most = 0;
			for (const char *q = p + 1; q < close; q++)
				if (*q >= '0' && *q <= '9') {
					unsigned long n = strtoul(q, (char **)&q, 10);
					if (n > most)
						most = n;
					q--;
				}
			if (most > 4096)
				return true;
			copies *= most + 1;
			if (copies > 4096)
				return true;
			p = close;
		}
		after_repetition = repetition;
	}
	return false;
}
/* A syscall number: the syscall of that number in each of ARCHES. */
static bool add_number(const char *item, uint8_t *set, unsigned long arches)
{
	char *end;
	unsigned long nr = strtoul(item, &end, 10);
	bool found = false;
	if (*end || nr > 0xffff)
		return false;
	for (unsigned a = 0; a < PTRC_ARCH_COUNT; a++) {
		const struct syscall_sig *sig = syscall_lookup(a, nr);
		if (arches >> a & 1 && sig) {
			set_sig(set, 1ul << a, (unsigned)(sig - syscall_sigs));
			found = true;
		}
	}
	return found;
}

/* 1 when /RE_TEXT matched, 0 when not, -1 when it is no regex (an
 * error even after "?", as strace's). */
static int add_regex(const char *re_text, uint8_t *set, unsigned long arches)
{
	regex_t re;
	bool found = false;
	if (stacked_repetition(re_text) ||
	    regcomp(&re, re_text, REG_EXTENDED | REG_NOSUB) != 0) {
		cli_invalid("system call or class", re_text - 1);
		return -1;
	}
	for (unsigned i = 0; i < syscall_sig_count; i++)
		if (regexec(&re, syscall_sigs[i].name, 0, NULL, 0) == 0) {
			set_sig(set, arches, i);
			found = true;
		}
	regfree(&re);
	return found;  /* strace 6.1 refuses a regex that matches nothing */
}

/* ITEM without its "?" and "@" parts, into the maps of ARCHES: 1 when
 * it named something, 0 when not, -1 after an error message. */
static int add_token(const char *item, uint8_t *set, unsigned long arches)
{
	if (*item >= '0' && *item <= '9')
		return add_number(item, set, arches);
	if (*item == '/')
		return add_regex(item + 1, set, arches);
	for (size_t c = 0; c < sizeof classes / sizeof classes[0]; c++)
		if (!strcmp(classes[c].name, item)) {
			for (unsigned i = 0; i < syscall_sig_count; i++)
				if ((syscall_sigs[i].classes & classes[c].bits) ==
				    classes[c].bits)
					set_sig(set, arches, i);
			return true;
		}
	for (unsigned i = 0; i < syscall_sig_count; i++)
		if (!strcmp(syscall_sigs[i].name, item)) {
			set_sig(set, arches, i);
			return true;
		}
	return false;
}

/* One element of a set, as strace 6.1's qualify_syscall: leading "?"s
 * (no error when it names nothing), a "@PERSONALITY" suffix. */
static int add_set_item(const char *item, void *arg)
{
	const char *token = item;
	bool optional = false;
	while (*token == '?') {
		token++;
		optional = true;
	}
	unsigned long arches = (1ul << PTRC_ARCH_COUNT) - 1;
	char word[256];
	const char *at = strrchr(token, '@');
	if (at) {
		long named = personality_arches(at + 1);
		if (named < 0 || (size_t)(at - token) >= sizeof word) {
			fprintf(stderr, "ptrc: incorrect personality designator "
				"'%s' in qualification '%s'\n", at + 1, token);
			return -1;
		}
		arches = (unsigned long)named;
		memcpy(word, token, (size_t)(at - token));
		word[at - token] = '\0';
		token = word;
	}
	int found = add_token(token, arg, arches);
	if (found < 0)
		return -1;
	if (!found && !optional)
		return cli_invalid("system call", item);  /* strace 6.1's words */
	return 0;
}

int cli_parse_list(const char *list, bool *negate, bool *all, bool *none,
		   int (*add)(const char *item, void *arg), void *arg)
{
	*negate = false;
	*all = *none = false;
	while (*list == '!') {  /* each "!" inverts (strace) */
		*negate = !*negate;
		list++;
	}
	char *copy = strdup(list);
	if (!copy)
		return -1;
	int result = 0;
	char *save = NULL;
	bool any = false;
	for (char *item = strtok_r(copy, ",", &save); item && !result;
	     item = strtok_r(NULL, ",", &save)) {
		any = true;
		if (!strcmp(item, "all"))
			*all = true;
		else if (!strcmp(item, "none"))
			*none = true;
		else
			result = add(item, arg);
	}
	free(copy);
	if (!any && !result)  /* an empty list: ADD says what is wrong */
		result = add(list, arg) < 0 ? -1 : 0;
	return result;
}


uint8_t *cli_parse_syscall_set(const char *list)
{
	size_t bytes = cli_set_arch_bytes() * PTRC_ARCH_COUNT;
	uint8_t *set = calloc(bytes, 1);
	if (!set)
		return NULL;
	bool negate, all, none;
	if (cli_parse_list(list, &negate, &all, &none, add_set_item, set) < 0) {
		free(set);
		return NULL;
	}
	if (all)
		memset(set, 0xff, bytes);
	if (negate)
		for (size_t i = 0; i < bytes; i++)
			set[i] = (uint8_t)~set[i];
	return set;
}
