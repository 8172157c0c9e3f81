/* The fixture process of test_stack.c (see stack_fixture.h). */
#include "stack_fixture.h"

#include <dirent.h>
#include <elf.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

pid_t fixture_pid;
char fixture_exe[PATH_MAX];

bool start_fixture(const char *binary)
{
	int out[2];
	if (pipe(out) != 0)
		return false;
	fixture_pid = fork();
	if (fixture_pid < 0)
		return false;
	if (fixture_pid == 0) {
		dup2(out[1], STDOUT_FILENO);
		close(out[0]);
		close(out[1]);
		execl(binary, binary, (char *)NULL);
		_exit(127);
	}
	close(out[1]);
	char buf[64];
	size_t len = 0;
	struct pollfd pfd = { .fd = out[0], .events = POLLIN };
	while (len < sizeof buf - 1 && poll(&pfd, 1, 10000) == 1) {
		ssize_t n = read(out[0], buf + len, sizeof buf - 1 - len);
		if (n <= 0)
			break;
		len += (size_t)n;
		buf[len] = '\0';
		if (strstr(buf, "ready\n"))
			break;
	}
	close(out[0]);
	buf[len] = '\0';
	if (!strstr(buf, "ready\n"))
		return false;
	char link[64];
	snprintf(link, sizeof link, "/proc/%d/exe", (int)fixture_pid);
	ssize_t n = readlink(link, fixture_exe, sizeof fixture_exe - 1);
	if (n <= 0)
		return false;
	fixture_exe[n] = '\0';
	return true;
}

size_t list_tasks(pid_t *tids)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/task", (int)fixture_pid);
	DIR *d = opendir(path);
	size_t n = 0;
	struct dirent *e;
	while (d && (e = readdir(d)) && n < MAX_TASKS)
		if (e->d_name[0] != '.')
			tids[n++] = atoi(e->d_name);
	if (d)
		closedir(d);
	return n;
}

static char task_state(pid_t tid)
{
	char path[64], buf[512];
	snprintf(path, sizeof path, "/proc/%d/task/%d/stat", (int)fixture_pid,
			(int)tid);
	FILE *f = fopen(path, "r");
	if (!f)
		return '?';
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	const char *paren = strrchr(buf, ')');
	return paren && paren[1] ? paren[2] : '?';
}

/* "ready" is printed just before main goes to sleep: wait for it. */
bool all_tasks_sleep(const pid_t *tids, size_t n)
{
	for (int ms = 0; ms < 5000; ms++) {
		size_t sleeping = 0;
		for (size_t i = 0; i < n; i++)
			sleeping += task_state(tids[i]) == 'S';
		if (sleeping == n)
			return true;
		usleep(1000);
	}
	return false;
}

bool seize_and_stop(pid_t tid)
{
	if (ptrace(PTRACE_SEIZE, tid, 0, 0) != 0)
		return false;
	if (ptrace(PTRACE_INTERRUPT, tid, 0, 0) != 0)
		return false;
	int status;
	if (waitpid(tid, &status, __WALL) != tid)
		return false;
	return WIFSTOPPED(status) && status >> 16 == PTRACE_EVENT_STOP;
}

bool elf_is_32bit(const char *path)
{
	unsigned char ident[EI_NIDENT] = {0};
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return false;
	ssize_t n = read(fd, ident, sizeof ident);
	close(fd);
	return n == EI_NIDENT && ident[EI_CLASS] == ELFCLASS32;
}
