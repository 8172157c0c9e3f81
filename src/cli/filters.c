/* The -e expressions, strace's syntax: trace=SET, status=SET, signal=SET,
 * quiet=SET, abbrev=SET, raw=SET, decode-fds=SET, read=FDS, write=FDS (and inject=,
 * fault=: inject.c). A SET is a comma-separated list; a leading "!"
 * negates the whole list; "all" and "none" are understood. In trace=,
 * an element is a syscall name, a class (%file, %network, ...) or a
 * /regex matched against names. */
#include "filters.h"

#include <stdio.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>

#include "cli_names.h"
#include "inject.h"
#include "ptrc/syscalls.h"
#include "syscall_set.h"

static int parse_trace(const char *list, struct ptrc_config *config)
{
	uint8_t *set = cli_parse_syscall_set(list);
	if (!set)
		return -1;
	/* i386 makes these through socketcall: it must stop (seccomp) for
	 * the trace mode to select by sub-call (src/modes/trace.c). */
	static const char *const socketcall_subs[] = {
		"socket", "bind", "connect", "listen", "accept", "getsockname",
		"getpeername", "socketpair", "send", "recv", "sendto",
		"recvfrom", "shutdown", "setsockopt", "getsockopt", "sendmsg",
		"recvmsg", "accept4", "recvmmsg", "sendmmsg",
	};
	long socketcall = -1;
	for (unsigned k = 0; k < syscall_sig_count; k++)
		if (!strcmp(syscall_sigs[k].name, "socketcall"))
			socketcall = k;
	for (unsigned i = 0; i < syscall_sig_count && socketcall >= 0; i++) {
		bool sub = false;
		for (size_t j = 0; j < sizeof socketcall_subs / sizeof socketcall_subs[0]; j++)
			sub |= !strcmp(syscall_sigs[i].name, socketcall_subs[j]);
		if (!sub || !cli_set_has(set, PTRC_ARCH_I386, i))
			continue;
		size_t at = PTRC_ARCH_I386 * cli_set_arch_bytes();
		set[at + socketcall / 8] |= (uint8_t)(1u << (socketcall % 8));
		break;
	}
	free(config->trace_set);
	config->trace_set = set;
	return 0;
}

/* A set of words, each a bit: status=, quiet=. */
struct word_bit {
	const char *name;
	unsigned bit;
};

static const struct word_bit statuses[] = {
	{ "successful", STATUS_SUCCESSFUL }, { "failed", STATUS_FAILED },
	{ "unfinished", STATUS_UNFINISHED }, { "unavailable", STATUS_UNAVAILABLE },
	{ "detached", STATUS_DETACHED }, { NULL, 0 },
};

static const struct word_bit quiet_words[] = {
	{ "attach", QUIET_ATTACH }, { "exit", QUIET_EXIT }, { "exits", QUIET_EXIT },
	{ "path-resolution", QUIET_PATH_RESOLVE },
	{ "personality", QUIET_PERSONALITY },
	{ "superseded", QUIET_THREAD_EXECVE },
	{ "thread-execve", QUIET_THREAD_EXECVE }, { NULL, 0 },
};

static const struct word_bit decode_fd_words[] = {
	{ "path", DECODE_FD_PATH }, { "socket", DECODE_FD_SOCKET },
	{ "dev", DECODE_FD_DEV }, { "pidfd", DECODE_FD_PIDFD }, { NULL, 0 },
};

struct word_set {
	const struct word_bit *words;  /* ended by a NULL name */
	const char *what;
	unsigned bits;
};

/* strace 6.1's qualify_tokens takes "all" and "none" only as the whole
 * set (after any "!"): in a list they are invalid words. LIST as given;
 * -1 after the message when ALL or NONE came from a list. */
static int all_none_alone(const char *list, bool all, bool none,
			  const char *what)
{
	while (*list == '!')
		list++;
	if (all && strcmp(list, "all") != 0)
		return cli_invalid(what, "all");
	if (none && strcmp(list, "none") != 0)
		return cli_invalid(what, "none");
	return 0;
}

static int add_word_item(const char *item, void *arg)
{
	struct word_set *set = arg;
	for (const struct word_bit *w = set->words; w->name; w++)
		if (!strcmp(w->name, item)) {
			set->bits |= w->bit;
			return 0;
		}
	return cli_invalid(set->what, item);
}

/* LIST of the words of WORDS (with all, none, "!") as bits; -1 on error. */
static long parse_words(const char *list, const struct word_bit *words,
			const char *what)
{
	struct word_set set = { words, what, 0 };
	bool negate, all, none;
	if (cli_parse_list(list, &negate, &all, &none, add_word_item, &set) < 0 ||
	    all_none_alone(list, all, none, what) < 0)
		return -1;
	unsigned every = 0;
	for (const struct word_bit *w = words; w->name; w++)
		every |= w->bit;
	if (all)
		set.bits = every;
	if (negate)
		set.bits = every & ~set.bits;
	return set.bits;
}

/* LIST into *SLOT with the bit MARK (set by an expression: a short
 * option beside it is refused in options.c). As strace's sets, a later
 * expression replaces an earlier one. */
static int replace_words(const char *list, const struct word_bit *words,
			 const char *what, unsigned *slot, unsigned mark)
{
	long bits = parse_words(list, words, what);
	if (bits < 0)
		return -1;
	*slot = (unsigned)bits | mark;
	return 0;
}

int parse_quiet(const char *list, struct ptrc_config *config)
{
	return replace_words(list, quiet_words, "quiet", &config->quiet,
			     QUIET_SET_BY_EXPRESSION);
}

int parse_decode_fds(const char *list, struct ptrc_config *config)
{
	return replace_words(list, decode_fd_words, "decode-fds",
			     &config->decode_fds, DECODE_FD_SET_BY_OPTION);
}

static int parse_status(const char *list, struct ptrc_config *config)
{
	long bits = parse_words(list, statuses, "status");
	if (bits < 0)
		return -1;
	/* 0 means "no filter"; an explicit empty set shows nothing. */
	config->status_filter = bits ? (unsigned)bits : (1u << 31);
	return 0;
}

static int add_signal_item(const char *item, void *arg)
{
	uint64_t *set = arg;
	int n = cli_signal_number(item);
	if (n < 0)
		return cli_invalid("signal", item);
	if (n >= 1 && n <= 64)  /* strace takes 0 and 65..255, to no effect */
		*set |= 1ull << (n - 1);
	return 0;
}

static int parse_signals(const char *list, struct ptrc_config *config)
{
	uint64_t set = 0;
	bool negate, all, none;
	if (cli_parse_list(list, &negate, &all, &none, add_signal_item, &set) < 0 ||
	    all_none_alone(list, all, none, "signal") < 0)
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
	if (*end != '\0' || end == item || fd < 0 || fd >= FD_SET_NAMED)
		return cli_invalid("descriptor (0 to 1023)", item);
	((uint8_t *)arg)[fd / 8] |= (uint8_t)(1u << (fd % 8));
	return 0;
}

static int parse_fds(const char *list, uint8_t set[FD_SET_BYTES],
		     bool *enabled)
{
	uint8_t fds[FD_SET_BYTES] = { 0 };
	bool negate, all, none;
	if (cli_parse_list(list, &negate, &all, &none, add_fd_item, fds) < 0 ||
	    all_none_alone(list, all, none, "descriptor") < 0)
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
	if (KEY("abbrev") || KEY("a") || KEY("raw") || KEY("x")) {
		uint8_t *set = cli_parse_syscall_set(value);
		if (!set)
			return -1;
		bool raw = KEY("raw") || KEY("x");
		uint8_t **slot = raw ? &config->raw_set : &config->abbrev_set;
		free(*slot);
		*slot = set;
		if (!raw)
			config->verbose = false;  /* the later of -v, abbrev= */
		return 0;
	}
	if (KEY("verbose") || KEY("v")) {
		uint8_t *set = cli_parse_syscall_set(value);
		if (!set)
			return -1;
		free(config->verbose_set);
		config->verbose_set = set;
		return 0;
	}
	if (KEY("signal") || KEY("signals") || KEY("s"))
		return parse_signals(value, config);
	if (KEY("quiet") || KEY("silent") || KEY("silence") || KEY("q"))
		return parse_quiet(value, config);
	if (KEY("decode-fds") || KEY("decode-fd"))
		return parse_decode_fds(value, config);
	if (KEY("inject"))
		return parse_inject_expression(value, false, config);
	if (KEY("fault"))
		return parse_inject_expression(value, true, config);
	if (KEY("read") || KEY("reads") || KEY("r"))
		return parse_fds(value, config->read_dump_fds, &config->dump_reads);
	if (KEY("write") || KEY("writes") || KEY("w"))
		return parse_fds(value, config->write_dump_fds, &config->dump_writes);
#undef KEY
	return cli_invalid("expression", expr);
}
