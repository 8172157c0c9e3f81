/* One output file per process: `attach --tree` or `-f`, with -o FILE
 * holding %p or %n (-o 'DIR/%n.%p'). The process attached to writes to
 * the file opened at start (src/cli/output_setup.c); every other process
 * gets FILE expanded with its own pid and name (/proc/PID/comm) when its
 * first thread is added, shared by its threads, and renamed after the
 * program at its execve (master's child becomes smtpd.PID), unless a file
 * of that name exists already. The rule of the names is out_name.h's. */
#include "trace_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ptrc/out_name.h"
#include "ptrc/output.h"
#include "ptrc/proc.h"

bool trace_files_init(struct trace_mode *m)
{
	const struct ptrc_config *c = m->config;
	const char *tmpl = c->output_path;
	if (!tmpl || tmpl[0] == '|' || tmpl[0] == '!' || c->output_separately ||
	    c->command != CMD_ATTACH || c->npids != 1 ||
	    !(c->attach_tree || c->follow_forks) ||
	    !out_name_has_placeholders(tmpl))
		return true;
	m->root_tgid = c->pids[0];
	/* absolute: --background's ptrc works from "/"; a '%' of the
	 * directory's name is no placeholder */
	char cwd[4096] = "";
	if (tmpl[0] != '/' && !getcwd(cwd, sizeof cwd))
		return true;  /* the start's file only */
	size_t n = strlen(cwd) * 2 + strlen(tmpl) + 2;
	char *abs = malloc(n), *o = abs;
	if (!abs)
		return false;
	for (const char *p = cwd; *p; p++) {
		*o++ = *p;
		if (*p == '%')
			*o++ = '%';
	}
	if (cwd[0])
		*o++ = '/';
	strcpy(o, tmpl);
	m->process_template = abs;
	return true;
}

static struct trace_stream *stream_of(struct trace_mode *m, pid_t tgid)
{
	for (struct trace_stream *s = m->separate; s; s = s->next)
		if (s->users && s->tgid == tgid && s->path)
			return s;
	return NULL;
}

static struct trace_stream *open_stream(struct trace_mode *m, pid_t tgid)
{
	char name[16], path[4200], err[4400];
	char bad;
	proc_comm(tgid, name, sizeof name);
	struct trace_stream *s = calloc(1, sizeof *s);
	if (!s || out_expand_name(m->process_template, tgid, name, path,
				  sizeof path, &bad) != 0 ||
	    !(s->path = strdup(path)) ||
	    !(s->out = out_open_path(path, m->config->output_append, err,
				     sizeof err))) {
		if (s && s->path && !m->output_error)
			fprintf(stderr, "ptrc: %s\n", err);
		if (s)
			free(s->path);
		free(s);
		return NULL;  /* its lines go to the shared output */
	}
	s->tgid = tgid;
	s->next = m->separate;
	m->separate = s;
	return s;
}

void trace_files_added(struct trace_mode *m, struct tracee *t)
{
	struct trace_tracee *ts = trace_state(t);
	if (!m->process_template || !ts || ts->stream || t->tgid == m->root_tgid)
		return;
	struct trace_stream *s = stream_of(m, t->tgid);
	if (!s)
		s = open_stream(m, t->tgid);
	if (!s)
		return;
	s->users++;
	ts->stream = s;
}

void trace_files_exec(struct trace_mode *m, struct tracee *t)
{
	struct trace_tracee *ts = trace_state(t);
	if (!m->process_template || !ts || !ts->stream || !ts->stream->path)
		return;
	char name[16], path[4200], bad;
	proc_comm(t->tgid, name, sizeof name);
	if (out_expand_name(m->process_template, t->tgid, name, path,
			    sizeof path, &bad) != 0 ||
	    !strcmp(path, ts->stream->path))
		return;
	/* never over another file: RENAME_NOREPLACE */
	if (renameat2(AT_FDCWD, ts->stream->path, AT_FDCWD, path,
		      RENAME_NOREPLACE) < 0)
		return;  /* the old name stays */
	char *copy = strdup(path);
	if (copy) {
		free(ts->stream->path);
		ts->stream->path = copy;
	}
}
