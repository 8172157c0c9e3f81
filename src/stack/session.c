/* A stack session: one Dwfl per traced process, kept in step with its
 * mappings, plus the caches that make repeated walks cheap. */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

/* libdwfl keeps a pointer to the callbacks: they must outlive every Dwfl.
 * A NULL debuginfo_path means libdw's default search ":.debug:/usr/lib/debug"
 * (.gnu_debuglink next to the file and in its .debug/, /usr/lib/debug and
 * its .build-id tree); PTRC_DEBUGINFO_PATH replaces it (see stack.h). libdw
 * adds debuginfod by itself when DEBUGINFOD_URLS is set. */
static char *debuginfo_path;
static bool debuginfo_path_read;
static int find_elf(Dwfl_Module *mod, void **userdata, const char *name,
		Dwarf_Addr base, char **file_name, Elf **elfp);
static int find_debuginfo(Dwfl_Module *mod, void **userdata,
		const char *name, Dwarf_Addr base, const char *file_name,
		const char *debuglink_file, GElf_Word debuglink_crc,
		char **debuginfo_file_name);
static const Dwfl_Callbacks proc_callbacks = {
	.find_elf = find_elf,
	.find_debuginfo = find_debuginfo,
	.debuginfo_path = &debuginfo_path,
};

char **stack_debuginfo_path(void)
{
	if (!debuginfo_path_read) {
		const char *env = getenv("PTRC_DEBUGINFO_PATH");
		debuginfo_path = env && *env ? strdup(env) : NULL;
		debuginfo_path_read = true;
	}
	return &debuginfo_path;
}

/* The pid of the session whose Dwfl is in use: find_elf gets no session,
 * and libdwfl knows the pid only once its thread state is attached (never
 * for the libunwind backend). Set by every entry that uses the Dwfl
 * (session_refresh); ptrc is single-threaded. */
static pid_t current_pid;

/* PATH's mapping that starts at START, as /proc/PID/map_files/LO-HI. */
static bool map_file_of(pid_t pid, uint64_t start, const char *path,
		char *out, size_t size)
{
	char maps[64];
	snprintf(maps, sizeof maps, "/proc/%d/maps", (int)pid);
	FILE *f = fopen(maps, "re");
	if (!f)
		return false;
	bool found = false;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	while (!found && (len = getline(&line, &cap, f)) > 0) {
		unsigned long long lo, hi;
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		const char *name = strchr(line, '/');
		if (sscanf(line, "%llx-%llx", &lo, &hi) == 2 && lo == start &&
		    name && strcmp(name, path) == 0) {
			snprintf(out, size, "/proc/%d/map_files/%llx-%llx",
				 (int)pid, lo, hi);
			found = true;
		}
	}
	free(line);
	fclose(f);
	return found;
}

static bool is_deleted(const char *name)
{
	static const char deleted[] = " (deleted)";
	size_t len = strlen(name), dlen = sizeof deleted - 1;
	return name[0] == '/' && len > dlen &&
	       strcmp(name + len - dlen, deleted) == 0;
}

/* Whether the file at NAME is known to be another than the mapped one,
 * PROC (its /proc link: stat follows it when permitted). Without that
 * permission nothing is known: the inode in /proc/PID/maps is not always
 * the one stat gives for the path (overlayfs). */
static bool replaced(const char *name, const char *proc)
{
	struct stat a, b;
	if (stat(proc, &b) != 0)
		return false;
	return stat(name, &a) != 0 || a.st_dev != b.st_dev ||
	       a.st_ino != b.st_ino;
}

/* libdwfl opens a module by the path /proc/PID/maps shows, which may no
 * longer be the mapped file:
 * - deleted, or replaced by a rename, since it was mapped: "PATH (deleted)",
 *   and libdwfl would read only the loaded segments from memory (no
 *   .symtab, no .gnu_debuglink, no DWARF);
 * - another file now at that path (a bind mount over it, another mount
 *   namespace): libdwfl would symbolize with the wrong file's symbols.
 * The mapped file itself is still open through /proc/PID/exe (the
 * executable; ptrace access suffices) or /proc/PID/map_files/ (any file;
 * needs CAP_CHECKPOINT_RESTORE or CAP_SYS_ADMIN; without it a replaced
 * library cannot be told from its path, which is then used). When the
 * link does not open, a replaced file is read from the tracee's memory
 * like a deleted one (libdw backend), or left without ELF: no names
 * rather than wrong ones. */
static int find_elf(Dwfl_Module *mod, void **userdata, const char *name,
		Dwarf_Addr base, char **file_name, Elf **elfp)
{
	if (current_pid <= 0 || name[0] != '/')
		return dwfl_linux_proc_find_elf(mod, userdata, name, base,
				file_name, elfp);
	bool deleted = is_deleted(name);
	char path[96], exe[4096];
	Dwarf_Addr start = 0;
	dwfl_module_info(mod, NULL, &start, NULL, NULL, NULL, NULL, NULL);
	snprintf(path, sizeof path, "/proc/%d/exe", (int)current_pid);
	ssize_t n = readlink(path, exe, sizeof exe - 1);
	bool found = n > 0 && (exe[n] = '\0', strcmp(exe, name) == 0);
	if (!found)
		found = map_file_of(current_pid, start, name, path, sizeof path);
	if (!found || (!deleted && !replaced(name, path)))
		return dwfl_linux_proc_find_elf(mod, userdata, name, base,
				file_name, elfp);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		Elf *elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
		char *copy = elf ? strdup(path) : NULL;
		if (copy) {
			*elfp = elf;
			free(*file_name);
			*file_name = copy;
			return fd;
		}
		if (elf)
			elf_end(elf);
		close(fd);
	}
	if (deleted)
		return dwfl_linux_proc_find_elf(mod, userdata, name, base,
				file_name, elfp);
	char *image = stack_strdupf("%s (deleted)", name);
	int rc = image ? dwfl_linux_proc_find_elf(mod, userdata, image, base,
			file_name, elfp) : -1;
	free(image);
	return rc;
}

/* The .gnu_debuglink of a file opened through /proc (above) is looked for
 * in the directory of its path, not in /proc/PID/: a debug file there is
 * used only when its CRC (and build-id) match. */
static int find_debuginfo(Dwfl_Module *mod, void **userdata,
		const char *name, Dwarf_Addr base, const char *file_name,
		const char *debuglink_file, GElf_Word debuglink_crc,
		char **debuginfo_file_name)
{
	char *original = NULL;
	if (file_name && strncmp(file_name, "/proc/", 6) == 0 &&
	    name[0] == '/')
		original = is_deleted(name)
			? strndup(name, strlen(name) - strlen(" (deleted)"))
			: strdup(name);
	int fd = dwfl_standard_find_debuginfo(mod, userdata, name, base,
			original ? original : file_name, debuglink_file,
			debuglink_crc, debuginfo_file_name);
	free(original);
	return fd;
}

/* debuginfod. libdw asks it (when DEBUGINFOD_URLS is set) for each module
 * without local debug info, while ptrc holds the tracee stopped; and
 * DEBUGINFOD_TIMEOUT does not bound the connection phase: a server that
 * accepts no connection (a full backlog, dropped packets) holds each query
 * for curl's connect timeout, minutes. So a progress callback cancels a
 * query that has received nothing new for DEBUGINFOD_STALL_SECONDS, and
 * then unsets DEBUGINFOD_URLS, which libdebuginfod reads at every query:
 * one unresponsive server costs a few seconds once, not per module. The
 * functions come from the libdebuginfod that libdw loaded itself (no link
 * dependency; without it there are no queries to bound). */
#define DEBUGINFOD_STALL_SECONDS 5

typedef int (*progress_fn)(debuginfod_client *c, long a, long b);
static void (*set_progressfn)(debuginfod_client *c, progress_fn fn);

/* The query in progress. libdebuginfod 0.188 calls the progress function
 * about once a second; until a server answers (B, the size, is 0) A counts
 * those calls, from 1 for each query; then A is the bytes received. */
static struct {
	bool answered;
	long a;
	struct timespec since;  /* the query's start, or A's last change */
} query;

static double seconds_since(const struct timespec *t)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) +
	       (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

static int debuginfod_progress(debuginfod_client *c, long a, long b)
{
	(void)c;
	bool answered = b > 0;
	bool restart = answered ? !query.answered || a != query.a
		: query.answered || a <= 1 || a <= query.a;
	query.answered = answered;
	query.a = a;
	if (restart) {
		clock_gettime(CLOCK_MONOTONIC, &query.since);
		return 0;
	}
	if (seconds_since(&query.since) < DEBUGINFOD_STALL_SECONDS)
		return 0;
	unsetenv("DEBUGINFOD_URLS");
	return 1;
}

void stack_bound_debuginfod(Dwfl *dwfl)
{
	static bool looked;
	if (!getenv("DEBUGINFOD_URLS"))
		return;
	/* libdw loads libdebuginfod with the first client. */
	debuginfod_client *c = dwfl_get_debuginfod_client(dwfl);
	if (!c)
		return;
	if (!looked) {
		looked = true;
		void *lib = dlopen("libdebuginfod.so.1", RTLD_LAZY | RTLD_NOLOAD);
		if (lib) {
			set_progressfn = (void (*)(debuginfod_client *,
					progress_fn))dlsym(lib,
					"debuginfod_set_progressfn");
		}
	}
	if (set_progressfn)
		set_progressfn(c, debuginfod_progress);
}

const char *stack_backend_name(enum stack_backend backend)
{
	return backend == STACK_BACKEND_LIBUNWIND ? "libunwind" : "libdw";
}

int stack_backend_from_name(const char *name)
{
	if (strcmp(name, "libdw") == 0)
		return STACK_BACKEND_LIBDW;
	if (strcmp(name, "libunwind") == 0)
		return STACK_BACKEND_LIBUNWIND;
	return -1;
}

/* A hash of the file-backed lines of /proc/PID/maps: what libdwfl's module
 * list is made of. Anonymous memory, the heap and stacks are left out, so
 * malloc's mmaps do not force a re-report. 0 when maps cannot be read. */
static uint64_t maps_fingerprint(pid_t pid)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/maps", (int)pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return 0;
	uint64_t h = 0xcbf29ce484222325ull;
	char *line = NULL;
	size_t size = 0;
	ssize_t len;
	while ((len = getline(&line, &size, f)) > 0) {
		/* The path, if any, starts at the first '/' or '[' after the
		 * five fixed fields; those fields hold neither. */
		const char *name = strpbrk(line, "/[");
		if (!name || (name[0] == '[' && strncmp(name, "[vdso]", 6) != 0))
			continue;
		for (ssize_t i = 0; i < len; i++) {
			h ^= (unsigned char)line[i];
			h *= 0x100000001b3ull;
		}
	}
	free(line);
	fclose(f);
	return h ? h : 1;
}

static char *dwfl_error_text(const char *what, int rc)
{
	if (rc > 0)
		return stack_strdupf("%s: %s", what, strerror(rc));
	return stack_strdupf("%s: %s", what, dwfl_errmsg(-1));
}

static int report_modules(struct stack_session *s, char **error)
{
	s->maps_fingerprint = maps_fingerprint(s->pid);
	dwfl_report_begin(s->dwfl);
	int rc = dwfl_linux_proc_report(s->dwfl, s->pid);
	if (dwfl_report_end(s->dwfl, NULL, NULL) != 0 && rc == 0)
		rc = -1;
	if (rc != 0) {
		*error = dwfl_error_text("reading the modules of the process", rc);
		s->maps_dirty = true;       /* try again on the next walk */
		return -1;
	}
	/* Addresses may now belong to other files. */
	pc_cache_clear(&s->cache);
	if (s->unw)
		libunwind_flush(s);
	return 0;
}

static int rebuild(struct stack_session *s, char **error)
{
	if (s->dwfl)
		dwfl_end(s->dwfl);
	s->thread_state_attached = false;
	s->thread_state_stale = false;
	current_pid = s->pid;
	stack_debuginfo_path();
	s->dwfl = dwfl_begin(&proc_callbacks);
	if (!s->dwfl) {
		*error = dwfl_error_text("dwfl_begin", -1);
		return -1;
	}
	stack_bound_debuginfod(s->dwfl);
	if (report_modules(s, error) != 0)
		return -1;
	if (s->backend == STACK_BACKEND_LIBDW) {
		/* true: the caller holds the threads ptrace-stopped, so libdw
		 * must neither attach nor detach them. */
		int rc = dwfl_linux_proc_attach(s->dwfl, s->pid, true);
		if (rc != 0) {
			*error = dwfl_error_text("dwfl_linux_proc_attach", rc);
			return -1;
		}
		s->thread_state_attached = true;
	}
	s->exec_seen = false;
	s->maps_dirty = false;
	return 0;
}

int session_refresh(struct stack_session *s, char **error)
{
	*error = NULL;
	current_pid = s->pid;
	if (s->exec_seen || s->thread_state_stale || !s->dwfl)
		return rebuild(s, error);
	if (!s->maps_dirty)
		return 0;
	s->maps_dirty = false;
	if (maps_fingerprint(s->pid) == s->maps_fingerprint)
		return 0;
	return report_modules(s, error);
}

struct stack_session *stack_session_open(pid_t pid, enum stack_backend backend,
		char **error)
{
	char *message = NULL;
	struct stack_session *s = calloc(1, sizeof *s);
	if (!s) {
		message = stack_strdupf("%s", strerror(ENOMEM));
		goto fail;
	}
	s->pid = pid;
	s->backend = backend;
	if (rebuild(s, &message) != 0)
		goto fail;
	if (backend == STACK_BACKEND_LIBUNWIND && libunwind_open(s, &message) != 0)
		goto fail;
	return s;
fail:
	if (error)
		*error = message;
	else
		free(message);
	stack_session_close(s);
	return NULL;
}

void stack_session_mappings_changed(struct stack_session *s)
{
	s->maps_dirty = true;
}

void stack_session_exec(struct stack_session *s)
{
	s->exec_seen = true;
}

void stack_session_close(struct stack_session *s)
{
	if (!s)
		return;
	libunwind_close(s);
	if (s->dwfl)
		dwfl_end(s->dwfl);
	pc_cache_free(&s->cache);
	strpool_free(&s->pool);
	free(s);
}
