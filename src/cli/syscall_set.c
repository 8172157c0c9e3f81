/* Syscall sets in strace's -e syntax: a comma-separated list of names,
 * classes (%file, %network, ...) and /regexes matched against names; a
 * leading "!" negates the whole list; "all" and "none" are understood. */
#include "syscall_set.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_names.h"
#include "ptrc/syscalls.h"

struct class_name {
	const char *name;
	unsigned bits;
};

static const struct class_name classes[] = {
	{ "file", SC_FILE }, { "network", SC_NETWORK }, { "net", SC_NETWORK },
	{ "process", SC_PROCESS }, { "signal", SC_SIGNAL }, { "ipc", SC_IPC },
	{ "desc", SC_DESC }, { "memory", SC_MEMORY }, { "creds", SC_CREDS },
	{ "stat", SC_STAT }, { "clock", SC_CLOCK }, { "pure", SC_PURE },
};

static void set_bit(uint8_t *set, unsigned i)
{
	set[i / 8] |= (uint8_t)(1u << (i % 8));
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
/* Mark the syscalls ITEM names in SET; returns how many, or -1. */
static int add_syscalls(const char *item, uint8_t *set)
{
	int matched = 0;
	if (item[0] == '%' || item[0] != '/') {
		const char *cls = item[0] == '%' ? item + 1 : item;
		for (size_t c = 0; c < sizeof classes / sizeof classes[0]; c++) {
			if (strcmp(classes[c].name, cls) != 0)
				continue;
			for (unsigned i = 0; i < syscall_sig_count; i++)
				if (syscall_sigs[i].classes & classes[c].bits) {
					set_bit(set, i);
					matched++;
				}
			return matched;
		}
		if (item[0] == '%')
			return -1;
	}
	if (item[0] == '/') {
		regex_t re;
		if (stacked_repetition(item + 1) ||
		    regcomp(&re, item + 1, REG_EXTENDED | REG_NOSUB) != 0)
			return -1;
		for (unsigned i = 0; i < syscall_sig_count; i++)
			if (regexec(&re, syscall_sigs[i].name, 0, NULL, 0) == 0) {
				set_bit(set, i);
				matched++;
			}
		regfree(&re);
		/* strace accepts a regex that matches nothing */
		return matched;
	}
	for (unsigned i = 0; i < syscall_sig_count; i++)
		if (!strcmp(syscall_sigs[i].name, item)) {
			set_bit(set, i);
			return 1;
		}
	return -1;
}

int cli_parse_list(const char *list, bool *negate, bool *all, bool *none,
		   int (*add)(const char *item, void *arg), void *arg)
{
	*negate = false;
	*all = *none = false;
	if (*list == '!') {
		*negate = true;
		list++;
	}
	char *copy = strdup(list);
	if (!copy)
		return -1;
	int result = 0;
	char *save = NULL;
	for (char *item = strtok_r(copy, ",", &save); item && !result;
	     item = strtok_r(NULL, ",", &save)) {
		if (!strcmp(item, "all"))
			*all = true;
		else if (!strcmp(item, "none"))
			*none = true;
		else
			result = add(item, arg);
	}
	free(copy);
	return result;
}


static int add_set_item(const char *item, void *arg)
{
	if (add_syscalls(item, arg) < 0)
		return cli_invalid("system call or class", item);
	return 0;
}

uint8_t *cli_parse_syscall_set(const char *list)
{
	size_t bytes = (syscall_sig_count + 7) / 8;
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
