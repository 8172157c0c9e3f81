/* The persistent debug-file cache (debug_cache.h). A distribution's
 * separate debug files (libc's) have their DWARF sections compressed, and
 * libdw inflates every one of them whenever it opens the file: most of a
 * crash report's or a stack snapshot's time. The cache holds a copy of
 * such a file with the sections inflated, under its build-id, so libdw
 * maps it and reads only what it needs.
 *
 * A cache must never change a result: an entry is used only when its own
 * build-id note is the module's (a rebuilt library at the same path has
 * another build-id and misses), and only when it and its directory are
 * owned by ptrc's effective user and writable by no one else (so a cache
 * another user could write is ignored, which matters when ptrc runs as
 * root). Entries are written by a detached process, never on the way of
 * the report, and the directory is bounded in size. */
#include "debug_cache.h"

#include <dirent.h>
#include <elfutils/libdwelf.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "debug_cache_write.h"

static char *cache_dir;
static bool cache_dir_read;

const char *debug_cache_dir(void)
{
	if (cache_dir_read)
		return cache_dir;
	cache_dir_read = true;
	const char *env = getenv("PTRC_DEBUG_CACHE");
	const char *xdg = getenv("XDG_CACHE_HOME");
	const char *home = getenv("HOME");
	char buf[PATH_MAX];
	int n = -1;
	if (env)
		n = *env && strcmp(env, "off") != 0 && env[0] == '/'
			? snprintf(buf, sizeof buf, "%s", env) : -1;
	else if (xdg && xdg[0] == '/')
		n = snprintf(buf, sizeof buf, "%s/ptrc/debug", xdg);
	else if (home && home[0] == '/')
		n = snprintf(buf, sizeof buf, "%s/.cache/ptrc/debug", home);
	else if (geteuid() == 0)
		/* root without a home: Postfix's debugger_command (master
		 * passes no HOME) */
		n = snprintf(buf, sizeof buf, "/var/cache/ptrc/debug");
	if (n > 0 && (size_t)n < sizeof buf)
		cache_dir = strdup(buf);
	return cache_dir;
}

bool debug_cache_trusted(const struct stat *st, uid_t euid, bool is_dir)
{
	if (is_dir ? !S_ISDIR(st->st_mode) : !S_ISREG(st->st_mode))
		return false;
	return st->st_uid == euid && (st->st_mode & (S_IWGRP | S_IWOTH)) == 0;
}

static bool dir_trusted(const char *dir)
{
	struct stat st;
	return lstat(dir, &st) == 0 && debug_cache_trusted(&st, geteuid(), true);
}

/* DIR/HEX.SUFFIX for build-id ID; NULL when it does not fit. */
static char *entry_path(const char *dir, const unsigned char *id, size_t len,
			const char *suffix)
{
	if (len == 0 || len > 64)
		return NULL;
	char hex[129];
	for (size_t i = 0; i < len; i++)
		snprintf(hex + 2 * i, 3, "%02x", id[i]);
	char *path = NULL;
	if (asprintf(&path, "%s/%s.%s", dir, hex, suffix) < 0)
		return NULL;
	return path;
}

/* The source's path recorded in the trusted file PATH, or NULL. */
static char *recorded_name(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return NULL;
	char buf[PATH_MAX];
	struct stat st;
	ssize_t n = -1;
	if (fstat(fd, &st) == 0 && debug_cache_trusted(&st, geteuid(), false))
		n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 1 || buf[0] != '/' || memchr(buf, '\0', (size_t)n))
		return NULL;
	buf[n] = '\0';
	return strdup(buf);
}

static bool build_id_is(int fd, const unsigned char *id, size_t len)
{
	Elf *elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!elf)
		return false;
	const void *note = NULL;
	ssize_t n = dwelf_elf_gnu_build_id(elf, &note);
	bool same = n > 0 && (size_t)n == len && memcmp(note, id, len) == 0;
	elf_end(elf);
	return same;
}

int debug_cache_open(const char *dir, const unsigned char *id, size_t len,
		     char **name)
{
	*name = NULL;
	if (!dir || !dir_trusted(dir))
		return -1;
	char *path = entry_path(dir, id, len, "debug");
	if (!path)
		return -1;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat st;
	if (fd >= 0 && fstat(fd, &st) == 0 &&
	    debug_cache_trusted(&st, geteuid(), false) &&
	    build_id_is(fd, id, len)) {
		char *source = entry_path(dir, id, len, "name");
		*name = source ? recorded_name(source) : NULL;
		free(source);
		if (*name)
			free(path);
		else
			*name = path;
		return fd;
	}
	if (fd >= 0)
		close(fd);
	free(path);
	return -1;
}

/* mkdir of PATH (0700) when missing; a directory is created only inside
 * one of ptrc's own user (root's ptrc run with a user's $HOME leaves the
 * user's home alone). */
static bool make_one(const char *path, bool *parent_ours)
{
	struct stat st;
	if (lstat(path, &st) == 0) {
		*parent_ours = S_ISDIR(st.st_mode) && st.st_uid == geteuid();
		return S_ISDIR(st.st_mode);
	}
	if (!*parent_ours || mkdir(path, 0700) != 0)
		return false;
	*parent_ours = true;
	return true;
}

/* DIR and its missing parents, then checked. */
static bool make_dir(const char *dir)
{
	char buf[PATH_MAX];
	if (snprintf(buf, sizeof buf, "%s", dir) >= (int)sizeof buf)
		return false;
	bool parent_ours = false;
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		bool ok = make_one(buf, &parent_ours);
		*p = '/';
		if (!ok)
			return false;
	}
	return make_one(buf, &parent_ours) && dir_trusted(dir);
}

static unsigned long long cache_max_bytes(void)
{
	const char *env = getenv("PTRC_DEBUG_CACHE_MAX");
	char *end;
	unsigned long long mib = env ? strtoull(env, &end, 10) : 512;
	if (env && (*end || end == env))
		mib = 512;
	return mib << 20;
}

/* Remove the oldest entries (by modification time) until DIR holds at
 * most MAX bytes of them. */
static void trim(const char *dir, unsigned long long max)
{
	for (int round = 0; round < 64; round++) {
		DIR *d = opendir(dir);
		if (!d)
			return;
		unsigned long long total = 0;
		char oldest[NAME_MAX + 1] = "";
		struct timespec when = { 0, 0 };
		struct dirent *e;
		while ((e = readdir(d)) != NULL) {
			size_t n = strlen(e->d_name);
			struct stat st;
			if (n < 7 || strcmp(e->d_name + n - 6, ".debug") != 0 ||
			    fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
			    !S_ISREG(st.st_mode))
				continue;
			total += (unsigned long long)st.st_size;
			if (!oldest[0] || st.st_mtim.tv_sec < when.tv_sec ||
			    (st.st_mtim.tv_sec == when.tv_sec &&
			     st.st_mtim.tv_nsec < when.tv_nsec)) {
				snprintf(oldest, sizeof oldest, "%s", e->d_name);
				when = st.st_mtim;
			}
		}
		bool over = total > max && oldest[0];
		if (over) {
			unlinkat(dirfd(d), oldest, 0);
			strcpy(oldest + strlen(oldest) - 5, "name");
			unlinkat(dirfd(d), oldest, 0);
		}
		closedir(d);
		if (!over)
			return;
	}
}

/* A new file in DIR holding LEN bytes of DATA, renamed to PATH. */
static bool write_small(const char *dir, const char *path, const char *data,
			size_t len)
{
	char tmp[PATH_MAX];
	if (snprintf(tmp, sizeof tmp, "%s/.new.XXXXXX", dir) >= (int)sizeof tmp)
		return false;
	int fd = mkstemp(tmp);
	if (fd < 0)
		return false;
	bool ok = write(fd, data, len) == (ssize_t)len;
	ok = close(fd) == 0 && ok;
	if (!ok || rename(tmp, path) != 0) {
		unlink(tmp);
		return false;
	}
	return true;
}

/* Is this the only writer of ENTRY (DIR/HEX.debug), and is it still
 * missing? Many ptrc processes may find the same debug file at once (a
 * crash recipe on every smtpd): one inflates it, the others leave. The
 * lock (DIR/HEX.lock, flock) goes with the process. */
static bool one_writer(const char *entry)
{
	char lock[PATH_MAX];
	size_t n = strlen(entry);
	if (n < 6 || n >= sizeof lock)
		return false;
	memcpy(lock, entry, n - 5);
	strcpy(lock + n - 5, "lock");
	int fd = open(lock, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB) != 0)
		return false;  /* fd stays open until _exit: that is the lock */
	return access(entry, F_OK) != 0;
}

/* The detached writer: the source's name beside the entry, then SOURCE
 * inflated to a temporary file in DIR, renamed to its entry. */
static void write_entry(const char *dir, const char *entry, const char *named,
			const char *source)
{
	setpriority(PRIO_PROCESS, 0, 19);
	if (!make_dir(dir) || !one_writer(entry) ||
	    !write_small(dir, named, source, strlen(source)))
		return;
	char tmp[PATH_MAX];
	if (snprintf(tmp, sizeof tmp, "%s/.new.XXXXXX", dir) >= (int)sizeof tmp)
		return;
	int fd = mkstemp(tmp);
	if (fd < 0)
		return;
	bool ok = debug_cache_write_inflated(source, fd) && fsync(fd) == 0;
	ok = close(fd) == 0 && ok;
	/* An entry larger than the whole cache is not kept, and evicts
	 * nothing: it would push every other entry out, then itself. */
	struct stat st;
	unsigned long long max = cache_max_bytes();
	ok = ok && stat(tmp, &st) == 0 && (unsigned long long)st.st_size <= max;
	if (!ok || rename(tmp, entry) != 0) {
		unlink(tmp);
		unlink(named);
		return;
	}
	trim(dir, max);
}

void debug_cache_fill(const char *dir, const unsigned char *id, size_t len,
		      const char *source)
{
	static unsigned char asked[32][64];
	static size_t asked_len[32];
	static unsigned asked_count;
	if (!dir || !source || len == 0 || len > 64)
		return;
	for (unsigned i = 0; i < asked_count && i < 32; i++)
		if (asked_len[i] == len && memcmp(asked[i], id, len) == 0)
			return;
	memcpy(asked[asked_count % 32], id, len);
	asked_len[asked_count % 32] = len;
	asked_count++;
	char *entry = entry_path(dir, id, len, "debug");
	char *named = entry_path(dir, id, len, "name");
	if (!entry || !named || source[0] != '/') {
		free(entry);
		free(named);
		return;
	}
	/* Twice forked, the middle one reaped at once: the writer is no child
	 * of ptrc's, whose engine waits for any child. */
	pid_t mid = fork();
	if (mid == 0) {
		if (fork() == 0) {
			/* not "ptrc": no tracer, whatever counts them */
			prctl(PR_SET_NAME, "ptrc-cache", 0, 0, 0);
			/* nothing of ptrc's open: a pipe held open would keep
			 * its reader (-o '|CMD', a test's capture) waiting */
			int null = open("/dev/null", O_RDWR | O_CLOEXEC);
			for (int fd = 0; fd < 3 && null >= 0; fd++)
				dup2(null, fd);
			closefrom(3);
			write_entry(dir, entry, named, source);
			_exit(0);
		}
		_exit(0);
	}
	if (mid > 0)
		while (waitpid(mid, NULL, 0) < 0 && errno == EINTR)
			;
	free(entry);
	free(named);
}
