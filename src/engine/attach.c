/* Attaching to running processes: seize every thread, then interrupt it so
 * that its first stop introduces it to the loop. */
#include "engine_internal.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <signal.h>
#include <unistd.h>

static pid_t status_field(pid_t pid, const char *field)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/status", pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return -1;
	char line[256];
	size_t flen = strlen(field);
	pid_t value = -1;
	while (fgets(line, sizeof line, f)) {
		if (!strncmp(line, field, flen) && line[flen] == ':') {
			value = (pid_t)strtol(line + flen + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return value;
}

pid_t proc_tgid(pid_t tid)
{
	pid_t tgid = status_field(tid, "Tgid");
	return tgid > 0 ? tgid : tid;
}

pid_t proc_tracer(pid_t pid)
{
	return status_field(pid, "TracerPid");
}

char proc_state(pid_t tid)
{
	char path[64], buf[512];
	snprintf(path, sizeof path, "/proc/%d/stat", tid);
	FILE *f = fopen(path, "re");
	if (!f)
		return 0;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* "pid (comm) S ...": comm may hold anything, so look after the
	 * last ')' */
	char *close = strrchr(buf, ')');
	return close && close[1] == ' ' ? close[2] : 0;
}

static void proc_comm(pid_t pid, char *buf, size_t size)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/comm", pid);
	FILE *f = fopen(path, "re");
	buf[0] = '\0';
	if (!f)
		return;
	if (fgets(buf, (int)size, f))
		buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
	/* comm is the process's to choose: keep only harmless bytes */
	for (char *c = buf; *c; c++)
		if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7f)
			*c = '?';
}

/* Explain a failed PTRACE_SEIZE of PID's thread TID; returns the exit status. */
static int seize_error(pid_t pid, pid_t tid, int err)
{
	if (err == ESRCH) {
		fprintf(stderr, "ptrc: process %d went away during attach\n", pid);
		return PTRC_EXIT_VANISHED;
	}
	if (err == EPERM) {
		pid_t tracer = proc_tracer(tid);
		if (tracer > 0) {
			char comm[64];
			proc_comm(tracer, comm, sizeof comm);
			fprintf(stderr, "ptrc: process %d is already traced by pid %d%s%s%s\n",
				pid, tracer, comm[0] ? " (" : "", comm, comm[0] ? ")" : "");
			return PTRC_EXIT_ALREADY_TRACED;
		}
		fprintf(stderr, "ptrc: attach to process %d: permission denied "
			"(another tracer, a different user, or ptrace restrictions "
			"such as Yama's ptrace_scope may be the cause)\n", pid);
		return PTRC_EXIT_PERMISSION;
	}
	fprintf(stderr, "ptrc: attach to process %d: %s\n", pid, strerror(err));
	return PTRC_EXIT_INTERNAL;
}

/* One pass over /proc/PID/task: seize the threads not yet known. Returns
 * how many were new, or -1 with *STATUS set on a fatal error. */
static int seize_new_threads(struct engine *e, pid_t pid, int *status)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/task", pid);
	DIR *dir = opendir(path);
	if (!dir) {
		fprintf(stderr, "ptrc: process %d went away during attach\n", pid);
		*status = PTRC_EXIT_VANISHED;
		return -1;
	}
	int added = 0;
	struct dirent *d;
	while ((d = readdir(dir))) {
		if (d->d_name[0] < '0' || d->d_name[0] > '9')
			continue;
		pid_t tid = (pid_t)strtol(d->d_name, NULL, 10);
		if (table_find(&e->table, tid))
			continue;
		if (ptrace(PTRACE_SEIZE, tid, 0, (void *)(long)e->ptrace_options) < 0) {
			int err = errno;
			if (err == EPERM && proc_tracer(tid) == getpid()) {
				/* A thread created since the listing, already
				 * ours through PTRACE_O_TRACECLONE: its first
				 * stop introduces it. */
				engine_add_tracee(e, tid, pid);
				added++;
				continue;
			}
			if (tid != pid && (err == ESRCH ||
			    (err == EPERM && proc_tracer(tid) <= 0))) {
				char state = proc_state(tid);
				if (err == ESRCH || state == 0 || state == 'Z' ||
				    state == 'X')
					continue;  /* the thread exited meanwhile */
			}
			*status = seize_error(pid, tid, err);
			closedir(dir);
			return -1;
		}
		engine_add_tracee(e, tid, pid);
		/* The interrupt stop is what the loop sees first; a thread
		 * that is already in a group-stop reports that instead. */
		ptrace(PTRACE_INTERRUPT, tid, 0, 0);
		added++;
	}
	closedir(dir);
	return added;
}

int engine_attach(struct engine *e, pid_t pid)
{
	if (pid <= 0 || kill(pid, 0) < 0) {
		if (pid > 0 && errno == EPERM)
			return seize_error(pid, pid, EPERM);
		fprintf(stderr, "ptrc: no such process: %d\n", pid);
		return PTRC_EXIT_NO_PROCESS;
	}
	if (proc_tgid(pid) != pid) {
		/* A thread id was given: attach its whole process. */
		pid = proc_tgid(pid);
	}
	char state = proc_state(pid);
	if (state == 'Z' || state == 'X') {
		fprintf(stderr, "ptrc: process %d has exited (a zombie)\n", pid);
		return PTRC_EXIT_NO_PROCESS;
	}
	pid_t tracer = proc_tracer(pid);
	if (tracer == getpid() && table_find(&e->table, pid))
		return PTRC_EXIT_OK;  /* named twice (or by a thread id) */
	if (tracer > 0)
		return seize_error(pid, pid, EPERM);

	int status = PTRC_EXIT_OK;
	int added;
	/* Threads may be created while we seize: read the list again until
	 * a pass finds nothing new. Threads created by a seized thread are
	 * auto-attached through PTRACE_O_TRACECLONE. */
	do {
		added = seize_new_threads(e, pid, &status);
	} while (added > 0);
	return added < 0 ? status : PTRC_EXIT_OK;
}
