/* ptrc attach --background. The order matters: the output is opened
 * before the fork (its errors show in the foreground), the attach happens
 * in the background (the tracer must be the process that goes on), and
 * the foreground exits only once the attach has succeeded or failed. */
#include "background.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "ptrc/config.h"
#include "ptrc/engine.h"
#include "ptrc/syslog_sink.h"
#include "output_setup.h"

/* How long the foreground waits for the background's report. Attaching
 * takes milliseconds; this only bounds a background that hangs, since
 * the foreground's caller (a daemon in system()) waits for it. */
#define REPORT_TIMEOUT_MS 30000

static int report_fd = -1;

/* The report is what the background wrote to stderr, then a NUL byte and
 * the exit status as one byte. */
static void foreground(pid_t child, int fd)
{
	char buf[4096];
	size_t len = 0;
	struct timespec start, now;
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		long waited = (now.tv_sec - start.tv_sec) * 1000 +
			      (now.tv_nsec - start.tv_nsec) / 1000000;
		if (waited >= REPORT_TIMEOUT_MS) {
			kill(child, SIGKILL);  /* the kernel detaches its tracees */
			fprintf(stderr, "ptrc: the background ptrc did not report its "
				"attach within %d s; killed it\n", REPORT_TIMEOUT_MS / 1000);
			_exit(PTRC_EXIT_INTERNAL);
		}
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int r = poll(&p, 1, (int)(REPORT_TIMEOUT_MS - waited));
		if (r < 0 && errno != EINTR)
			break;
		if (r <= 0)
			continue;
		if (len == sizeof buf) {
			/* Long messages: pass on all but the last two bytes. */
			fwrite(buf, 1, len - 2, stderr);
			memmove(buf, buf + len - 2, 2);
			len = 2;
		}
		ssize_t n = read(fd, buf + len, sizeof buf - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	if (len >= 2 && buf[len - 2] == '\0') {
		fwrite(buf, 1, len - 2, stderr);
		fflush(stderr);
		_exit((unsigned char)buf[len - 1]);
	}
	fwrite(buf, 1, len, stderr);
	fputs("ptrc: the background ptrc ended before it could attach\n", stderr);
	fflush(stderr);
	_exit(PTRC_EXIT_INTERNAL);
}

/* Close every descriptor but those in KEEP (the output, the report pipe)
 * and 0, 1, 2, which the caller points elsewhere. */
static void close_inherited(const int *keep, size_t nkeep)
{
	DIR *dir = opendir("/proc/self/fd");
	if (!dir) {
		/* No /proc: every possible number. */
		long max = sysconf(_SC_OPEN_MAX);
		if (max < 0 || max > 65536)
			max = 65536;
		for (int fd = 3; fd < max; fd++) {
			bool kept = false;
			for (size_t i = 0; i < nkeep; i++)
				kept |= keep[i] == fd;
			if (!kept)
				close(fd);
		}
		return;
	}
	int self = dirfd(dir);
	/* Collect first: closing while reading the directory is fine on
	 * Linux, but a list keeps it obvious. */
	int fds[1024];
	size_t nfds = 0;
	bool more;
	do {
		more = false;
		struct dirent *d;
		rewinddir(dir);
		nfds = 0;
		while ((d = readdir(dir))) {
			if (d->d_name[0] < '0' || d->d_name[0] > '9')
				continue;
			int fd = atoi(d->d_name);
			bool kept = fd <= 2 || fd == self;
			for (size_t i = 0; i < nkeep; i++)
				kept |= keep[i] == fd;
			if (kept)
				continue;
			if (nfds == sizeof fds / sizeof fds[0]) {
				more = true;  /* a daemon with many descriptors */
				break;
			}
			fds[nfds++] = fd;
		}
		for (size_t i = 0; i < nfds; i++)
			close(fds[i]);
	} while (more);
	closedir(dir);
}

int background_start(int keep_fd)
{
	int pipefd[2];
	if (pipe2(pipefd, O_CLOEXEC) < 0) {
		fprintf(stderr, "ptrc: --background: pipe: %s\n", strerror(errno));
		return PTRC_EXIT_INTERNAL;
	}
	fflush(NULL);
	pid_t child = fork();
	if (child < 0) {
		fprintf(stderr, "ptrc: --background: fork: %s\n", strerror(errno));
		close(pipefd[0]);
		close(pipefd[1]);
		return PTRC_EXIT_INTERNAL;
	}
	if (child > 0) {
		close(pipefd[1]);
		foreground(child, pipefd[0]);  /* does not return */
	}

	close(pipefd[0]);
	/* Out of the daemon's process group and session: `postfix stop`
	 * signals master's process group, and the daemon's death (which
	 * ptrc sees) is what ends the trace. */
	setsid();
	int keep[] = { keep_fd, pipefd[1] };
	close_inherited(keep, sizeof keep / sizeof keep[0]);
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null >= 0) {
		dup2(null, STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
		if (null > STDERR_FILENO && null != keep_fd)
			close(null);
	}
	/* Attach errors are printed to stderr: they reach the foreground. */
	dup2(pipefd[1], STDERR_FILENO);
	report_fd = pipefd[1];
	if (chdir("/") < 0) {
		/* cannot fail; the output is open already anyway */
	}
	return PTRC_EXIT_OK;
}

void background_log_error(const struct ptrc_config *config, const char *text)
{
	if (report_fd >= 0)
		return;  /* not reported yet: stderr reaches the foreground */
	char err[256];
	struct syslog_sink *sink = NULL;
	/* Traced into a file: the error goes where the daemon's own log goes,
	 * Postfix's postlog socket when its maillog_file is in use (Postfix
	 * then names it in POSTLOG_SERVICE), else syslog. */
	const char *postlog_service = getenv("POSTLOG_SERVICE");
	if (!config->syslog && !config->syslog_socket && postlog_service &&
	    *postlog_service)
		sink = syslog_sink_open(postlog_service, SYSLOG_FORMAT_POSTLOG,
					LOG_MAIL | LOG_ERR, "ptrc", err, sizeof err);
	const char *socket = output_syslog_socket(config);
	bool postlog = config->syslog && config->syslog_postlog;
	if (!sink && socket)
		sink = syslog_sink_open(socket,
			postlog ? SYSLOG_FORMAT_POSTLOG : SYSLOG_FORMAT_RFC3164,
			LOG_MAIL | LOG_ERR, "ptrc", err, sizeof err);
	if (!sink)
		return;
	char line[512];
	int n = snprintf(line, sizeof line, "attach --background: %s; trace ended\n", text);
	if (n > 0)
		syslog_sink_send(sink, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1, true);
	syslog_sink_close(sink);
}

void background_report(int status)
{
	if (report_fd < 0)
		return;
	char record[2] = { '\0', (char)(status & 0xff) };
	fflush(stderr);
	while (write(report_fd, record, sizeof record) < 0 && errno == EINTR)
		;
	int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (null >= 0) {
		dup2(null, STDERR_FILENO);
		close(null);
	} else {
		close(STDERR_FILENO);
	}
	close(report_fd);
	report_fd = -1;
}
