/* Bounded reads for the crash report's context (crash_ctx_read.h). */
#include "crash_ctx_read.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *ctx_read_file(const char *path, size_t max, size_t *len, int *cut)
{
	*len = 0;
	*cut = 0;
	/* O_NONBLOCK: a FIFO planted at a path is not waited on. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return NULL;
	char *buf = malloc(max + 1);
	if (!buf) {
		close(fd);
		return NULL;
	}
	for (;;) {
		char probe;
		ssize_t n = *len < max ? read(fd, buf + *len, max - *len)
				       : read(fd, &probe, 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (*len == max) {
			*cut = 1;
			break;
		}
		*len += (size_t)n;
	}
	close(fd);
	buf[*len] = '\0';
	return buf;
}

char *ctx_read_link(const char *path)
{
	char buf[4096];
	ssize_t n = readlink(path, buf, sizeof buf - 1);
	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	return strdup(buf);
}

const char *ctx_proc_path(char *buf, size_t size, pid_t pid, const char *name)
{
	snprintf(buf, size, "/proc/%d/%s", (int)pid, name);
	return buf;
}
