/* The -e expressions, strace's syntax: trace=SET, status=SET, signal=SET,
 * read=FDS, write=FDS. A SET is a comma-separated list; a leading "!"
 * negates the whole list; "all" and "none" are understood. In trace=,
 * an element is a syscall name, a class (%file, %network, ...) or a
 * /regex matched against names. */
#include "filters.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>

#include "ptrc/names.h"
#include "ptrc/syscalls.h"

struct class_name {
	const char *name;
	unsigned bits;
};

static const struct class_name classes[] = {
	{ "file", SC_FILE }, { "network", SC_NETWORK }, { "net", SC_NETWORK },
	{ "process", SC_PROCESS }, { "signal", SC_SIGNAL }, { "ipc", SC_IPC },
	{ "desc", SC_DESC }, { "memory", SC_MEMORY }, { "creds", SC_CREDS },
	{ "stat", SC_STAT }, { "clock", SC_CLOCK },
};

static const struct {
	const char *name;
	unsigned bit;
} statuses[] = {
	{ "successful", STATUS_SUCCESSFUL }, { "failed", STATUS_FAILED },
	{ "unfinished", STATUS_UNFINISHED }, { "unavailable", STATUS_UNAVAILABLE },
	{ "detached", STATUS_DETACHED },
};

static int error(const char *what, const char *item)
{
	fprintf(stderr, "ptrc: invalid %s '%s' (see ptrc --help)\n", what, item);
	return -1;
}

static void set_bit(uint8_t *set, unsigned i)
{
	set[i / 8] |= (uint8_t)(1u << (i % 8));
}

/* Mark the syscalls ITEM names in SET; returns how many, or -1. */

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

/* Split LIST at commas, handling "!", "all" and "none"; calls ADD for
 * every other element. Returns 0 or -1. */
static int parse_set(const char *list, bool *negate, bool *all, bool *none,
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

static int add_trace_item(const char *item, void *arg)
{
	if (add_syscalls(item, arg) < 0)
		return error("system call or class", item);
	return 0;
}

static int parse_trace(const char *list, struct ptrc_config *config)
{
	size_t bytes = (syscall_sig_count + 7) / 8;
	uint8_t *set = calloc(bytes, 1);
	if (!set)
		return -1;
	bool negate, all, none;
	if (parse_set(list, &negate, &all, &none, add_trace_item, set) < 0) {
		free(set);
		return -1;
	}
	if (all)
		memset(set, 0xff, bytes);
	if (negate)
		for (size_t i = 0; i < bytes; i++)
			set[i] = (uint8_t)~set[i];
	/* i386 makes these through socketcall: it must stop (seccomp) for
	 * the trace mode to select by sub-call (src/modes/trace.c). */
	static const char *const socketcall_subs[] = {
		"socket", "bind", "connect", "listen", "accept", "getsockname",
		"getpeername", "socketpair", "send", "recv", "sendto",
		"recvfrom", "shutdown", "setsockopt", "getsockopt", "sendmsg",
		"recvmsg", "accept4", "recvmmsg", "sendmmsg",
	};
	for (unsigned i = 0; i < syscall_sig_count; i++) {
		if (!((set[i / 8] >> (i % 8)) & 1))
			continue;
		bool sub = false;
		for (size_t j = 0; j < sizeof socketcall_subs / sizeof socketcall_subs[0]; j++)
			sub |= !strcmp(syscall_sigs[i].name, socketcall_subs[j]);
		if (!sub)
			continue;
		for (unsigned k = 0; k < syscall_sig_count; k++)
			if (!strcmp(syscall_sigs[k].name, "socketcall"))
				set[k / 8] |= (uint8_t)(1u << (k % 8));
		break;
	}
	free(config->trace_set);
	config->trace_set = set;
	return 0;
}

static int add_status_item(const char *item, void *arg)
{
	unsigned *bits = arg;
	for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++)
		if (!strcmp(statuses[i].name, item)) {
			*bits |= statuses[i].bit;
			return 0;
		}
	return error("status", item);
}

static int parse_status(const char *list, struct ptrc_config *config)
{
	unsigned bits = 0;
	bool negate, all, none;
	if (parse_set(list, &negate, &all, &none, add_status_item, &bits) < 0)
		return -1;
	const unsigned every = STATUS_SUCCESSFUL | STATUS_FAILED |
			       STATUS_UNFINISHED | STATUS_UNAVAILABLE |
			       STATUS_DETACHED;
	if (all)
		bits = every;
	if (negate)
		bits = every & ~bits;
	/* 0 means "no filter"; an explicit empty set shows nothing. */
	config->status_filter = bits ? bits : (1u << 31);
	return 0;
}

static int add_signal_item(const char *item, void *arg)
{
	uint64_t *set = arg;
	char *end;
	long n = strtol(item, &end, 10);
	if (*end != '\0' || end == item)
		n = signal_number(item);
	if (n < 1 || n > 64)
		return error("signal", item);
	*set |= 1ull << (n - 1);
	return 0;
}

static int parse_signals(const char *list, struct ptrc_config *config)
{
	uint64_t set = 0;
	bool negate, all, none;
	if (parse_set(list, &negate, &all, &none, add_signal_item, &set) < 0)
		return -1;
	if (all)
		set = ~0ull;
	if (negate)
		set = ~set;
	config->signal_set = set;
	return 0;
}

static int add_fd_item(const char *item, void *arg)
{
	char *end;
	long fd = strtol(item, &end, 10);
	if (*end != '\0' || end == item || fd < 0 || fd >= 1024)
		return error("descriptor (0 to 1023)", item);
	set_bit(arg, (unsigned)fd);
	return 0;
}

static int parse_fds(const char *list, uint8_t set[128], bool *enabled)
{
	uint8_t fds[128] = { 0 };
	bool negate, all, none;
	if (parse_set(list, &negate, &all, &none, add_fd_item, fds) < 0)
		return -1;
	if (all)
		memset(fds, 0xff, sizeof fds);
	if (negate)
		for (size_t i = 0; i < sizeof fds; i++)
			fds[i] = (uint8_t)~fds[i];
	memcpy(set, fds, sizeof fds);
	*enabled = false;
	for (size_t i = 0; i < sizeof fds; i++)
		if (fds[i])
			*enabled = true;
	return 0;
}

int parse_filter_expression(const char *expr, struct ptrc_config *config)
{
	const char *eq = strchr(expr, '=');
	if (!strcmp(expr, "dump")) {
		/* -l: the data buffers of library calls (SSL_read...). */
		config->lcall_dump = true;
		return 0;
	}
	if (!eq) {
		config->lcall_syscalls = true;
		return parse_trace(expr, config);
	}
	size_t key_len = (size_t)(eq - expr);
	const char *value = eq + 1;
#define KEY(name) (key_len == strlen(name) && !strncmp(expr, name, key_len))
	if (KEY("trace") || KEY("t")) {
		config->lcall_syscalls = true;  /* -l: syscalls too */
		return parse_trace(value, config);
	}
	if (KEY("status"))
		return parse_status(value, config);
	if (KEY("signal") || KEY("signals") || KEY("s"))
		return parse_signals(value, config);
	if (KEY("read") || KEY("r"))
		return parse_fds(value, config->read_dump_fds, &config->dump_reads);
	if (KEY("write") || KEY("w"))
		return parse_fds(value, config->write_dump_fds, &config->dump_writes);
#undef KEY
	return error("expression", expr);
}
