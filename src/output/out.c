#include "ptrc/output.h"
#include "ptrc/syslog_sink.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define OUT_BUFFER_SIZE (64 * 1024)

struct out {
	int fd;
	bool owns_fd;
	int error;
	pid_t child;  /* -o '|CMD': the shell reading the pipe, or 0 */
	struct syslog_sink *syslog;  /* --syslog: lines become messages */
	size_t len;
	char buf[OUT_BUFFER_SIZE];
};

static struct out *out_new(int fd, bool owns_fd)
{
	struct out *o = malloc(sizeof *o);
	if (!o)
		return NULL;
	o->fd = fd;
	o->owns_fd = owns_fd;
	o->error = 0;
	o->child = 0;
	o->syslog = NULL;
	o->len = 0;
	return o;
}

struct out *out_open_syslog(struct syslog_sink *sink)
{
	struct out *o = out_new(syslog_sink_fd(sink), false);
	if (o)
		o->syslog = sink;
	return o;
}

int out_fd(const struct out *o)
{
	return o->fd;
}

struct out *out_open_path(const char *path, bool append, char *err,
			  size_t err_size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC |
			    O_NOCTTY | O_NONBLOCK | (append ? O_APPEND : 0),
		      0600);
	if (fd < 0) {
		if (errno == ELOOP)
			snprintf(err, err_size, "%s is a symbolic link; refusing to follow it", path);
		else
			snprintf(err, err_size, "cannot open %s: %s", path, strerror(errno));
		return NULL;
	}
	struct stat st;
	if (fstat(fd, &st) < 0) {
		snprintf(err, err_size, "cannot open %s: %s", path, strerror(errno));
		close(fd);
		return NULL;
	}
	if (S_ISREG(st.st_mode)) {
		if (!append && ftruncate(fd, 0) < 0) {
			snprintf(err, err_size, "cannot truncate %s: %s", path, strerror(errno));
			close(fd);
			return NULL;
		}
	} else if (!S_ISFIFO(st.st_mode) && !S_ISCHR(st.st_mode)) {
		snprintf(err, err_size, "%s is not a regular file, pipe or device", path);
		close(fd);
		return NULL;
	}
	/* O_NONBLOCK was only for opening a FIFO without a reader. */
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	struct out *o = out_new(fd, true);
	if (!o) {
		snprintf(err, err_size, "out of memory");
		close(fd);
	}
	return o;
}

struct out *out_open_pipe(const char *command, char *err, size_t err_size)
{
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) < 0) {
		snprintf(err, err_size, "pipe: %s", strerror(errno));
		return NULL;
	}
	pid_t pid = fork();
	if (pid < 0) {
		snprintf(err, err_size, "fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return NULL;
	}
	if (pid == 0) {
		/* dup2 clears FD_CLOEXEC on the copy: the shell's stdin */
		if (dup2(fds[0], STDIN_FILENO) < 0)
			_exit(127);
		execl("/bin/sh", "sh", "-c", command, (char *)NULL);
		_exit(127);
	}
	close(fds[0]);
	struct out *o = out_new(fds[1], true);
	if (!o) {
		snprintf(err, err_size, "out of memory");
		close(fds[1]);
		waitpid(pid, NULL, 0);
		return NULL;
	}
	o->child = pid;
	return o;
}

struct out *out_open_fd(int fd)
{
	return out_new(fd, false);
}

static void write_all(struct out *o, const char *data, size_t len)
{
	while (len > 0 && !o->error) {
		ssize_t n = write(o->fd, data, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			o->error = errno;
			return;
		}
		data += n;
		len -= (size_t)n;
	}
}

/* Syslog: send the complete lines, keep a partial one (FINAL: all). */
static void flush_syslog(struct out *o, bool final)
{
	size_t used = syslog_sink_send(o->syslog, o->buf, o->len, final);
	memmove(o->buf, o->buf + used, o->len - used);
	o->len -= used;
	if (!final && o->len == sizeof o->buf)  /* one huge line */
		o->len -= syslog_sink_send(o->syslog, o->buf, o->len, true);
	if (!o->error)
		o->error = syslog_sink_error(o->syslog);
}

int out_flush(struct out *o)
{
	if (o->syslog) {
		flush_syslog(o, false);
		return o->error ? -1 : 0;
	}
	if (o->len) {
		write_all(o, o->buf, o->len);
		o->len = 0;
	}
	return o->error ? -1 : 0;
}

void out_write(struct out *o, const char *data, size_t len)
{
	while (o->syslog && o->len + len > sizeof o->buf) {
		size_t part = sizeof o->buf - o->len;
		memcpy(o->buf + o->len, data, part);
		o->len += part;
		data += part;
		len -= part;
		flush_syslog(o, false);
	}
	if (o->len + len > sizeof o->buf) {
		out_flush(o);
		if (len > sizeof o->buf) {
			write_all(o, data, len);
			return;
		}
	}
	memcpy(o->buf + o->len, data, len);
	o->len += len;
}

int out_error(const struct out *o)
{
	return o->error;
}

void out_close(struct out *o)
{
	if (!o)
		return;
	if (o->syslog) {
		flush_syslog(o, true);
		syslog_sink_close(o->syslog);
		free(o);
		return;
	}
	out_flush(o);
	if (o->owns_fd)
		close(o->fd);
	/* As strace: the command has read everything when ptrc ends. (The
	 * tracer's wait for any child may have reaped it: ECHILD.) */
	while (o->child > 0 && waitpid(o->child, NULL, 0) < 0 && errno == EINTR)
		;
	free(o);
}
