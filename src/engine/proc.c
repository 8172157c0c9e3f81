/* What the engine reads of /proc: a thread's status fields, state, comm,
 * whether it is exiting, whether a process has other threads. Every file
 * is the tracee's to shape (comm especially): each read is bounded and a
 * missing file or field is an answer, not an error. */
#include "ptrc/proc.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool proc_status_value(pid_t tid, const char *field, int base,
		       unsigned long long *value)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/status", tid);
	FILE *f = fopen(path, "re");
	if (!f)
		return false;
	char line[256];
	size_t flen = strlen(field);
	bool found = false;
	while (fgets(line, sizeof line, f)) {
		if (!strncmp(line, field, flen) && line[flen] == ':') {
			*value = strtoull(line + flen + 1, NULL, base);
			found = true;
			break;
		}
	}
	fclose(f);
	return found;
}

static pid_t status_pid(pid_t tid, const char *field)
{
	unsigned long long value;
	return proc_status_value(tid, field, 10, &value) ? (pid_t)value : -1;
}

pid_t proc_tgid(pid_t tid)
{
	pid_t tgid = status_pid(tid, "Tgid");
	return tgid > 0 ? tgid : tid;
}

pid_t proc_tracer(pid_t pid)
{
	return status_pid(pid, "TracerPid");
}

/* The fields of /proc/TID/stat after "pid (comm)", into BUF; NULL when
 * gone. comm may hold anything, ')' included: look after the last ')'. */
static const char *proc_stat_fields(pid_t tid, char *buf, size_t size)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/stat", tid);
	FILE *f = fopen(path, "re");
	if (!f)
		return NULL;
	size_t n = fread(buf, 1, size - 1, f);
	fclose(f);
	buf[n] = '\0';
	char *close = strrchr(buf, ')');
	return close && close[1] == ' ' ? close + 2 : NULL;
}

char proc_state(pid_t tid)
{
	char buf[1024];
	const char *fields = proc_stat_fields(tid, buf, sizeof buf);
	return fields ? fields[0] : 0;
}

void proc_comm(pid_t pid, char *buf, size_t size)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/comm", pid);
	FILE *f = fopen(path, "re");
	buf[0] = '\0';
	if (!f)
		return;
	/* "NAME\n", where NAME may hold newlines itself: drop the last. */
	size_t n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
	if (n && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	fclose(f);
	/* comm is the process's to choose: keep only harmless bytes */
	for (char *c = buf; *c; c++)
		if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7f)
			*c = '?';
}

/* Is TID on its way out: gone, a zombie, or exiting (PF_EXITING in the
 * flags of /proc/TID/stat; also set on the threads another thread's
 * execve is killing, and on a leader that ended with pthread_exit while
 * its threads run on)? PTRACE_SEIZE of such a thread fails with EPERM. */
bool proc_exiting(pid_t tid)
{
	char buf[1024];
	const char *fields = proc_stat_fields(tid, buf, sizeof buf);
	char state;
	unsigned flags;
	if (!fields || sscanf(fields, "%c %*d %*d %*d %*d %*d %u",
			      &state, &flags) != 2)
		return true;
	return state == 'Z' || state == 'X' || (flags & 0x4 /* PF_EXITING */);
}

/* Does /proc/PID/task list a thread besides the leader? */
bool proc_other_threads(pid_t pid)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/task", pid);
	DIR *dir = opendir(path);
	if (!dir)
		return false;
	bool found = false;
	struct dirent *d;
	while (!found && (d = readdir(dir)))
		found = d->d_name[0] >= '0' && d->d_name[0] <= '9' &&
			(pid_t)strtol(d->d_name, NULL, 10) != pid;
	closedir(dir);
	return found;
}

/* One /proc/PID/task/TID/children file into *OUT (grown as needed). */
static bool read_children_file(const char *path, pid_t **out, size_t *n,
			       size_t *cap)
{
	FILE *f = fopen(path, "re");
	if (!f)
		return false;
	long long v;
	while (fscanf(f, "%lld", &v) == 1) {
		if (v <= 0 || v > INT32_MAX)
			continue;
		if (*n == *cap) {
			size_t grown = *cap ? *cap * 2 : 16;
			pid_t *p = realloc(*out, grown * sizeof *p);
			if (!p)
				break;
			*out = p;
			*cap = grown;
		}
		(*out)[(*n)++] = (pid_t)v;
	}
	fclose(f);
	return true;
}

size_t proc_children(pid_t pid, pid_t **children)
{
	*children = NULL;
	char path[96];
	snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
	DIR *dir = opendir(path);
	if (!dir)
		return 0;
	size_t n = 0, cap = 0;
	struct dirent *d;
	while ((d = readdir(dir))) {
		if (d->d_name[0] < '0' || d->d_name[0] > '9')
			continue;
		snprintf(path, sizeof path, "/proc/%d/task/%.16s/children",
			 (int)pid, d->d_name);
		read_children_file(path, children, &n, &cap);
	}
	closedir(dir);
	return n;
}
