/* Open descriptors of the crashed process (crash_ctx_fds.h). The first
 * CTX_FDS_SHOWN in /proc/PID/fd's order (ascending) are decoded; the
 * others are only counted, up to FDS_COUNT_MAX, so that a daemon with
 * 100k descriptors does not hold the report up. */
#include "crash_ctx_fds.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "crash_ctx_parse.h"
#include "crash_ctx_read.h"
#include "ptrc/decode.h"

#define FDS_COUNT_MAX (1024 * 1024)
/* fdinfo's first lines (pos, flags) are all that is read: an epoll's or
 * inotify's may go on for pages. */
#define FDINFO_MAX 4096

static int parse_fd(const char *name)
{
	char *end;
	if (name[0] < '0' || name[0] > '9')
		return -1;
	long v = strtol(name, &end, 10);
	return *end || v < 0 || v > INT_MAX ? -1 : (int)v;
}

static int by_fd(const void *a, const void *b)
{
	const struct ctx_fd *x = a, *y = b;
	return (x->fd > y->fd) - (x->fd < y->fd);
}

static void describe_fd(struct ctx_fd *f, pid_t pid)
{
	char path[64], name[16];
	struct strbuf sb;
	sb_init(&sb);
	decode_fd(&sb, pid, f->fd, DECODE_FD_ALL);
	f->text = sb.data ? strdup(sb.data) : NULL;
	sb_free(&sb);
	snprintf(name, sizeof name, "fd/%d", f->fd);
	f->target = ctx_read_link(ctx_proc_path(path, sizeof path, pid, name));

	snprintf(name, sizeof name, "fdinfo/%d", f->fd);
	size_t len;
	int cut;
	char *info = ctx_read_file(ctx_proc_path(path, sizeof path, pid, name),
				   FDINFO_MAX, &len, &cut);
	if (!info)
		return;
	f->has_flags = ctx_fdinfo_flags(info, len, &f->flags);
	/* A position only for a regular file. AT_STATX_DONT_SYNC: FUSE and
	 * network file systems answer from their cache, so a file served by
	 * the held process itself does not hang the report. */
	struct statx stx;
	snprintf(name, sizeof name, "fd/%d", f->fd);
	if (f->target && f->target[0] == '/' &&
	    statx(AT_FDCWD, ctx_proc_path(path, sizeof path, pid, name),
		  AT_STATX_DONT_SYNC, STATX_TYPE, &stx) == 0 &&
	    (stx.stx_mask & STATX_TYPE) && S_ISREG(stx.stx_mode))
		f->has_pos = ctx_fdinfo_pos(info, len, &f->pos);
	free(info);
}

void ctx_collect_fds(struct crash_context *c, pid_t pid)
{
	char path[64];
	DIR *dir = opendir(ctx_proc_path(path, sizeof path, pid, "fd"));
	if (!dir)
		return;
	c->fds_listed = true;
	c->fds = calloc(CTX_FDS_SHOWN, sizeof *c->fds);
	struct dirent *e;
	while (c->fds_total < FDS_COUNT_MAX && (e = readdir(dir))) {
		int fd = parse_fd(e->d_name);
		if (fd < 0)
			continue;
		c->fds_total++;
		if (c->fds && c->nfds < CTX_FDS_SHOWN)
			c->fds[c->nfds++].fd = fd;
	}
	closedir(dir);
	if (!c->fds)
		return;
	qsort(c->fds, c->nfds, sizeof *c->fds, by_fd);
	for (size_t i = 0; i < c->nfds; i++)
		describe_fd(&c->fds[i], pid);
}

void ctx_free_fds(struct crash_context *c)
{
	for (size_t i = 0; i < c->nfds; i++) {
		free(c->fds[i].text);
		free(c->fds[i].target);
	}
	free(c->fds);
	c->fds = NULL;
	c->nfds = 0;
}
