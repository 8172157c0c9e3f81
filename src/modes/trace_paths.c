/* See trace_paths.h. Which arguments are paths and which descriptors
 * follows strace 6.1's table call by call (fchmodat2, which 6.1 does not
 * know, as later strace versions have it); the rest by class: a %file
 * call's first argument is a path, a %desc or %network call's first
 * argument a descriptor. Paths and descriptor sets are read from the
 * tracee with bounds: a read that fails matches nothing. */
#include "trace_paths.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ptrc/mem.h"
#include "ptrc/syscalls.h"

/* Where a call's paths and descriptors are. */
enum path_rule {
	RULE_NONE,           /* no path and no descriptor to test */
	RULE_FD_FD,          /* fd, fd */
	RULE_FD_PATH,        /* fd, path */
	RULE_PATH_PATH,      /* path, path */
	RULE_X_PATH,         /* x, path */
	RULE_FD_PATH_FD_PATH,
	RULE_MMAP,           /* x, x, x, x, fd */
	RULE_OLD_MMAP,       /* i386 mmap: the six arguments in memory */
	RULE_SYMLINKAT,      /* x, fd, path */
	RULE_FD_X_FD,        /* fd, x, fd */
	RULE_EPOLL_CTL,      /* x, x, fd */
	RULE_FANOTIFY_MARK,  /* x, x, 64-bit mask, fd, path */
	RULE_SELECT,         /* nfds and three fd_sets */
	RULE_OLD_SELECT,     /* i386 select: its five arguments in memory */
	RULE_POLL,           /* an array of struct pollfd */
	RULE_FSCONFIG,       /* a path and a descriptor for some commands */
};

static const struct {
	const char *name;
	enum path_rule rule;
} rules[] = {
	{ "dup2", RULE_FD_FD }, { "dup3", RULE_FD_FD },
	{ "kexec_file_load", RULE_FD_FD }, { "sendfile", RULE_FD_FD },
	{ "sendfile64", RULE_FD_FD }, { "tee", RULE_FD_FD },
	{ "execveat", RULE_FD_PATH }, { "faccessat", RULE_FD_PATH },
	{ "faccessat2", RULE_FD_PATH }, { "fchmodat", RULE_FD_PATH },
	{ "fchmodat2", RULE_FD_PATH }, { "fchownat", RULE_FD_PATH },
	{ "fspick", RULE_FD_PATH }, { "fstatat64", RULE_FD_PATH },
	{ "futimesat", RULE_FD_PATH }, { "inotify_add_watch", RULE_FD_PATH },
	{ "mkdirat", RULE_FD_PATH }, { "mknodat", RULE_FD_PATH },
	{ "mount_setattr", RULE_FD_PATH }, { "name_to_handle_at", RULE_FD_PATH },
	{ "newfstatat", RULE_FD_PATH }, { "open_tree", RULE_FD_PATH },
	{ "openat", RULE_FD_PATH }, { "openat2", RULE_FD_PATH },
	{ "readlinkat", RULE_FD_PATH }, { "statx", RULE_FD_PATH },
	{ "unlinkat", RULE_FD_PATH }, { "utimensat", RULE_FD_PATH },
	{ "utimensat_time64", RULE_FD_PATH },
	{ "link", RULE_PATH_PATH }, { "mount", RULE_PATH_PATH },
	{ "pivot_root", RULE_PATH_PATH },
	{ "quotactl", RULE_X_PATH }, { "symlink", RULE_X_PATH },
	{ "linkat", RULE_FD_PATH_FD_PATH }, { "move_mount", RULE_FD_PATH_FD_PATH },
	{ "renameat", RULE_FD_PATH_FD_PATH }, { "renameat2", RULE_FD_PATH_FD_PATH },
	{ "mmap", RULE_MMAP }, { "mmap2", RULE_MMAP },
	{ "symlinkat", RULE_SYMLINKAT },
	{ "copy_file_range", RULE_FD_X_FD }, { "splice", RULE_FD_X_FD },
	{ "epoll_ctl", RULE_EPOLL_CTL },
	{ "fanotify_mark", RULE_FANOTIFY_MARK },
	{ "select", RULE_SELECT }, { "_newselect", RULE_SELECT },
	{ "pselect6", RULE_SELECT }, { "pselect6_time64", RULE_SELECT },
	{ "poll", RULE_POLL }, { "ppoll", RULE_POLL },
	{ "ppoll_time64", RULE_POLL },
	{ "fsconfig", RULE_FSCONFIG },
	/* %file, %desc or %network, but nothing to test. */
	{ "accept", RULE_NONE }, { "accept4", RULE_NONE }, { "bpf", RULE_NONE },
	{ "epoll_create", RULE_NONE }, { "epoll_create1", RULE_NONE },
	{ "eventfd", RULE_NONE }, { "eventfd2", RULE_NONE },
	{ "fanotify_init", RULE_NONE }, { "fsmount", RULE_NONE },
	{ "fsopen", RULE_NONE }, { "inotify_init", RULE_NONE },
	{ "inotify_init1", RULE_NONE }, { "io_uring_enter", RULE_NONE },
	{ "io_uring_register", RULE_NONE }, { "io_uring_setup", RULE_NONE },
	{ "landlock_add_rule", RULE_NONE },
	{ "landlock_create_ruleset", RULE_NONE },
	{ "landlock_restrict_self", RULE_NONE },
	{ "memfd_create", RULE_NONE }, { "memfd_secret", RULE_NONE },
	{ "mq_getsetattr", RULE_NONE }, { "mq_notify", RULE_NONE },
	{ "mq_open", RULE_NONE }, { "mq_timedreceive", RULE_NONE },
	{ "mq_timedreceive_time64", RULE_NONE }, { "mq_timedsend", RULE_NONE },
	{ "mq_timedsend_time64", RULE_NONE }, { "perf_event_open", RULE_NONE },
	{ "pidfd_open", RULE_NONE }, { "pipe", RULE_NONE }, { "pipe2", RULE_NONE },
	{ "signalfd", RULE_NONE }, { "signalfd4", RULE_NONE },
	{ "socket", RULE_NONE }, { "socketpair", RULE_NONE },
	{ "timerfd_create", RULE_NONE }, { "timerfd_gettime", RULE_NONE },
	{ "timerfd_gettime64", RULE_NONE }, { "timerfd_settime", RULE_NONE },
	{ "timerfd_settime64", RULE_NONE }, { "userfaultfd", RULE_NONE },
};

/* Beware of select(2^31-1, ...) and poll of a huge count: strace's cap. */
#define MAX_NFDS (1024 * 1024)

struct match_ctx {
	const struct trace_paths *tp;
	const struct syscall_call *call;
	unsigned word_size;
};

static uint64_t arg(const struct match_ctx *mc, unsigned i)
{
	uint64_t v = i < SYSCALL_MAX_ARGS ? mc->call->args[i] : 0;
	return mc->word_size == 4 ? (uint32_t)v : v;
}

static bool path_in_set(const struct trace_paths *tp, const char *path)
{
	for (unsigned i = 0; i < tp->count; i++)
		if (strcmp(path, tp->paths[i]) == 0)
			return true;
	return false;
}

/* The path at ADDR in the tracee, NUL-terminated within PATH_MAX bytes. */
static bool path_matches(const struct match_ctx *mc, uint64_t addr)
{
	char buf[PATH_MAX + 1];
	bool terminated;
	return mem_read_str(mc->call->tid, addr, buf, PATH_MAX, &terminated) >= 0 &&
	       terminated && path_in_set(mc->tp, buf);
}

/* The descriptor FD (the kernel reads an int) refers to a path. */
static bool fd_matches(const struct match_ctx *mc, uint64_t fd)
{
	char buf[PATH_MAX + 1];
	bool deleted;
	return decode_fd_path(mc->call->tid, (int)fd, buf, sizeof buf, &deleted) >= 0 &&
	       path_in_set(mc->tp, buf);
}

/* Any descriptor of the NFDS-bit sets at ARGS[0..2] (0: no set). */
static bool fdsets_match(const struct match_ctx *mc, int64_t nfds,
			 const uint64_t sets[3])
{
	if (nfds <= 0)
		return false;
	if (nfds > MAX_NFDS)
		nfds = MAX_NFDS;
	size_t ws = mc->word_size;
	size_t size = (((size_t)nfds + 7) / 8 + ws - 1) & ~(ws - 1);
	unsigned char *bits = malloc(size);
	if (!bits)
		return false;
	bool found = false;
	for (int s = 0; s < 3 && !found; s++) {
		if (!sets[s] || mem_read(mc->call->tid, sets[s], bits, size) != (ssize_t)size)
			continue;
		for (int64_t fd = 0; fd < nfds && !found; fd++)
			if (bits[fd / 8] & (1u << (fd % 8)))
				found = fd_matches(mc, (uint64_t)fd);
	}
	free(bits);
	return found;
}

static bool select_matches(const struct match_ctx *mc)
{
	const uint64_t sets[3] = { arg(mc, 1), arg(mc, 2), arg(mc, 3) };
	return fdsets_match(mc, (int)arg(mc, 0), sets);
}

/* i386's old select and mmap pass their arguments as an array of words. */
static bool read_words(const struct match_ctx *mc, unsigned n, uint64_t *out)
{
	uint32_t words[6];
	if (n > 6 || mem_read(mc->call->tid, arg(mc, 0), words, n * 4) != (ssize_t)(n * 4))
		return false;
	for (unsigned i = 0; i < n; i++)
		out[i] = words[i];
	return true;
}

static bool old_select_matches(const struct match_ctx *mc)
{
	uint64_t a[5];
	if (!read_words(mc, 5, a))
		return false;
	const uint64_t sets[3] = { a[1], a[2], a[3] };
	return fdsets_match(mc, (int)a[0], sets);
}

static bool poll_matches(const struct match_ctx *mc)
{
	struct { int32_t fd; int16_t events, revents; } fds[64];
	uint64_t start = arg(mc, 0);
	uint64_t n = (uint32_t)arg(mc, 1);
	if (n > MAX_NFDS)
		n = MAX_NFDS;
	if (n == 0 || start + n * sizeof fds[0] < start)
		return false;
	for (uint64_t done = 0; done < n;) {
		size_t chunk = n - done < 64 ? (size_t)(n - done) : 64;
		ssize_t got = mem_read(mc->call->tid, start + done * sizeof fds[0],
				       fds, chunk * sizeof fds[0]);
		size_t whole = got > 0 ? (size_t)got / sizeof fds[0] : 0;
		for (size_t i = 0; i < whole; i++)
			if (fd_matches(mc, (uint32_t)fds[i].fd))
				return true;
		if (whole < chunk)
			return false;
		done += chunk;
	}
	return false;
}

static bool fsconfig_matches(const struct match_ctx *mc)
{
	switch ((unsigned)arg(mc, 1)) {
	case 3:  /* FSCONFIG_SET_PATH */
	case 4:  /* FSCONFIG_SET_PATH_EMPTY */
		return fd_matches(mc, arg(mc, 4)) || path_matches(mc, arg(mc, 3));
	case 5:  /* FSCONFIG_SET_FD */
		return fd_matches(mc, arg(mc, 4));
	}
	return false;
}

static bool rule_matches(const struct match_ctx *mc, enum path_rule rule)
{
	/* fanotify_mark's 64-bit mask takes two registers on i386 */
	unsigned fa = mc->call->arch == PTRC_ARCH_I386 ? 4 : 3;
	uint64_t a[6];
	switch (rule) {
	case RULE_NONE: return false;
	case RULE_FD_FD: return fd_matches(mc, arg(mc, 0)) || fd_matches(mc, arg(mc, 1));
	case RULE_FD_PATH: return fd_matches(mc, arg(mc, 0)) || path_matches(mc, arg(mc, 1));
	case RULE_PATH_PATH: return path_matches(mc, arg(mc, 0)) || path_matches(mc, arg(mc, 1));
	case RULE_X_PATH: return path_matches(mc, arg(mc, 1));
	case RULE_FD_PATH_FD_PATH:
		return fd_matches(mc, arg(mc, 0)) || fd_matches(mc, arg(mc, 2)) ||
		       path_matches(mc, arg(mc, 1)) || path_matches(mc, arg(mc, 3));
	case RULE_MMAP: return fd_matches(mc, arg(mc, 4));
	case RULE_OLD_MMAP: return read_words(mc, 6, a) && fd_matches(mc, a[4]);
	case RULE_SYMLINKAT: return fd_matches(mc, arg(mc, 1)) || path_matches(mc, arg(mc, 2));
	case RULE_FD_X_FD: return fd_matches(mc, arg(mc, 0)) || fd_matches(mc, arg(mc, 2));
	case RULE_EPOLL_CTL: return fd_matches(mc, arg(mc, 2));
	case RULE_FANOTIFY_MARK:
		return fd_matches(mc, arg(mc, fa)) || path_matches(mc, arg(mc, fa + 1));
	case RULE_SELECT: return select_matches(mc);
	case RULE_OLD_SELECT: return old_select_matches(mc);
	case RULE_POLL: return poll_matches(mc);
	case RULE_FSCONFIG: return fsconfig_matches(mc);
	}
	return false;
}

/* The call's rule; *FOUND false when it has none (the class decides). */
static enum path_rule rule_of(const struct syscall_call *call, bool *found)
{
	const char *name = call->sig->name;
	*found = true;
	/* i386's select and mmap (82, 90) are the old ones. */
	if (call->arch == PTRC_ARCH_I386 && strcmp(name, "select") == 0)
		return RULE_OLD_SELECT;
	if (call->arch == PTRC_ARCH_I386 && strcmp(name, "mmap") == 0)
		return RULE_OLD_MMAP;
	for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
		if (strcmp(name, rules[i].name) == 0)
			return rules[i].rule;
	*found = false;
	return RULE_NONE;
}

bool trace_paths_match(const struct trace_paths *tp,
		       const struct syscall_call *call)
{
	/* An i386 socketcall is matched as its sub-call (socket, send...). */
	struct syscall_call sub;
	uint64_t sub_args[SYSCALL_MAX_ARGS];
	const struct syscall_call *shown = call->sig ?
		decode_shown_call(call, &sub, sub_args) : call;
	if (!shown->sig ||
	    !(shown->sig->classes & (SC_FILE | SC_DESC | SC_NETWORK)))
		return false;
	struct match_ctx mc = {
		.tp = tp, .call = shown, .word_size = arch_word_size(shown->arch),
	};
	bool found;
	enum path_rule rule = rule_of(shown, &found);
	if (found)
		return rule_matches(&mc, rule);
	if (shown->sig->classes & SC_FILE)
		return path_matches(&mc, arg(&mc, 0));
	return fd_matches(&mc, arg(&mc, 0));
}

static bool add_path(struct trace_paths *tp, const char *path)
{
	if (path_in_set(tp, path))
		return true;
	char **paths = realloc(tp->paths, (tp->count + 1) * sizeof *paths);
	if (!paths)
		return false;
	tp->paths = paths;
	char *copy = strdup(path);
	if (!copy)
		return false;
	tp->paths[tp->count++] = copy;
	return true;
}

bool trace_paths_init(struct trace_paths *tp, const struct ptrc_config *config)
{
	memset(tp, 0, sizeof *tp);
	for (unsigned i = 0; i < config->npaths; i++) {
		if (!add_path(tp, config->paths[i]))
			return false;
		/* The resolved path too: the tracee may name it so. */
		char *resolved = realpath(config->paths[i], NULL);
		bool ok = !resolved || add_path(tp, resolved);
		free(resolved);
		if (!ok)
			return false;
	}
	return true;
}

void trace_paths_free(struct trace_paths *tp)
{
	for (unsigned i = 0; i < tp->count; i++)
		free(tp->paths[i]);
	free(tp->paths);
	memset(tp, 0, sizeof *tp);
}
