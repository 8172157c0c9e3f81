/* A stack session: one Dwfl per traced process, kept in step with its
 * mappings, plus the caches that make repeated walks cheap. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends.h"
#include "core_file.h"
#include "dwfl_files.h"
#include "message.h"
#include "session.h"
#include "thread_state32.h"

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
	stack_pc_cache_clear(&s->cache);
	if (s->unw)
		stack_libunwind_flush(s);
	return 0;
}

static int rebuild(struct stack_session *s, char **error)
{
	if (s->dwfl)
		dwfl_end(s->dwfl);
	s->thread_state_attached = false;
	s->thread_state_stale = false;
	stack_dwfl_files_for(s->pid);
	s->dwfl = dwfl_begin(stack_dwfl_proc_callbacks());
	if (!s->dwfl) {
		*error = dwfl_error_text("dwfl_begin", -1);
		return -1;
	}
	stack_bound_debuginfod(s->dwfl);
	if (report_modules(s, error) != 0)
		return -1;
	if (s->backend == STACK_BACKEND_LIBDW) {
		/* true: the caller holds the threads ptrace-stopped, so libdw
		 * must neither attach nor detach them. A 32-bit process gets
		 * callbacks of ours (thread_state32.c says why). */
		int rc = stack_thread_state32_wanted(s->pid)
			? (stack_thread_state32_attach(s->dwfl, s->pid) ? 0 : -1)
			: dwfl_linux_proc_attach(s->dwfl, s->pid, true);
		if (rc != 0) {
			*error = dwfl_error_text("libdw's thread state", rc);
			return -1;
		}
		s->thread_state_attached = true;
	}
	s->exec_seen = false;
	s->maps_dirty = false;
	return 0;
}

int stack_session_refresh(struct stack_session *s, char **error)
{
	*error = NULL;
	if (s->core)
		return s->dwfl ? 0 : -1;  /* a core does not change */
	stack_dwfl_files_for(s->pid);
	if (s->exec_seen || s->thread_state_stale || !s->dwfl)
		return rebuild(s, error);
	if (!s->maps_dirty)
		return 0;
	s->maps_dirty = false;
	if (maps_fingerprint(s->pid) == s->maps_fingerprint)
		return 0;
	return report_modules(s, error);
}

struct stack_session *stack_session_abandon(struct stack_session *s,
		char *message, char **error)
{
	if (error)
		*error = message;
	else
		free(message);
	stack_session_close(s);
	return NULL;
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
	if (backend == STACK_BACKEND_LIBUNWIND &&
	    stack_libunwind_open(s, &message) != 0)
		goto fail;
	return s;
fail:
	return stack_session_abandon(s, message, error);
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
	stack_libunwind_close(s);
	if (s->dwfl)
		dwfl_end(s->dwfl);
	if (s->core) {          /* after dwfl_end: the Dwfl reads its Elf */
		core_file_close(s->core);
		free(s->core);
	}
	stack_pc_cache_free(&s->cache);
	stack_strpool_free(&s->pool);
	free(s);
}
