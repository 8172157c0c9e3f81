/* The recorder (trace_recorder.h) of --transcript and --pcap: it follows
 * the connections the traced processes accept (accept, accept4: their
 * server side) or make (connect, also one still in progress: their client
 * side) when the kernel says they are TCP with a remote end or a UNIX
 * stream (decode_socket_peer), hands the bytes each read- or write-like
 * call moved on them to the sinks (decode_io_data), and ends them at
 * close, dup2/dup3 over the descriptor, the process leader's removal or
 * ptrc's end. Connections a process inherited or received over SCM_RIGHTS
 * (postscreen's hand-off to smtpd) are not followed. */
#include "trace_recorder.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ptrc/io_data.h"
#include "ptrc/proc.h"
#include "ptrc/syscalls.h"
#include "trace_conns.h"

#define CONN_DATA_MAX 65536  /* bytes of one call recorded */
#define CONN_SINKS 2

struct conn {
	pid_t tgid;
	int fd;
	bool server;
	void *state[CONN_SINKS];  /* each sink's, NULL: not kept there */
	struct conn *next;
};

struct conns {
	const struct conn_sink *sinks[CONN_SINKS];
	void *sink_data[CONN_SINKS];
	unsigned nsinks;
	const struct syscall_sig *accept, *accept4, *connect, *close, *dup2,
		*dup3;
	struct conn *open;
	unsigned char data[CONN_DATA_MAX];
};

/* The connection FD of TGID (any of TGID's with FD -1), or the end. */
static struct conn **find(struct conns *r, pid_t tgid, int fd)
{
	struct conn **p = &r->open;
	while (*p && ((*p)->tgid != tgid || (fd >= 0 && (*p)->fd != fd)))
		p = &(*p)->next;
	return p;
}

static void finish(struct conns *r, struct conn **p)
{
	struct conn *conn = *p;
	for (unsigned i = 0; i < r->nsinks; i++)
		if (conn->state[i])
			r->sinks[i]->close(r->sink_data[i], conn->state[i]);
	*p = conn->next;
	free(conn);
}

static void start(struct conns *r, struct tracee *t, int fd, bool server)
{
	struct conn_start c = { .tgid = t->tgid, .server = server };
	/* a descriptor closed unseen (at execve) and now reused */
	struct conn **stale = find(r, t->tgid, fd);
	if (*stale)
		finish(r, stale);
	enum sock_peer_kind kind = decode_socket_peer(t->tid, fd, &c.peer);
	if (kind != SOCK_PEER_REMOTE && kind != SOCK_PEER_UNIX_STREAM)
		return;
	c.inet = kind == SOCK_PEER_REMOTE;
	char name[16];
	proc_comm(t->tgid, name, sizeof name);
	c.name = name;
	struct conn *conn = calloc(1, sizeof *conn);
	if (!conn)
		return;
	conn->tgid = t->tgid;
	conn->fd = fd;
	conn->server = server;
	for (unsigned i = 0; i < r->nsinks; i++)
		conn->state[i] = r->sinks[i]->open(r->sink_data[i], &c);
	conn->next = r->open;
	r->open = conn;
}

static void moved(struct conns *r, struct tracee *t,
		  const struct syscall_call *call, int64_t rval, bool is_error)
{
	int fd;
	size_t len;
	enum io_dir dir = decode_io_data(call, rval, is_error, &fd, r->data,
					 sizeof r->data, &len);
	if (dir == IO_NONE || !len)
		return;
	struct conn **p = find(r, t->tgid, fd);
	if (!*p)
		return;
	/* a server reads what the client says, a client writes it */
	bool from_client = (*p)->server == (dir == IO_READ);
	for (unsigned i = 0; i < r->nsinks; i++)
		if ((*p)->state[i])
			r->sinks[i]->data(r->sink_data[i], (*p)->state[i],
					  from_client, r->data, len);
}

static void conns_exit(void *rec, struct tracee *t,
		       const struct syscall_call *call, int64_t rval,
		       bool is_error)
{
	struct conns *r = rec;
	const struct syscall_sig *sig = call->sig;
	if (!sig)
		return;
	if ((sig == r->accept || sig == r->accept4) && !is_error) {
		start(r, t, (int)rval, true);
	} else if (sig == r->connect && (!is_error || rval == -EINPROGRESS)) {
		start(r, t, (int)call->args[0], false);
	} else if (sig == r->close ||
		   ((sig == r->dup2 || sig == r->dup3) && !is_error)) {
		int fd = (int)call->args[sig == r->close ? 0 : 1];
		struct conn **p = find(r, t->tgid, fd);
		if (*p)
			finish(r, p);
	} else if (r->open) {
		moved(r, t, call, rval, is_error);
	}
}

/* The leader leaving ends its process's connections. */
static void conns_removed(void *rec, struct tracee *t)
{
	struct conns *r = rec;
	if (t->tid != t->tgid)
		return;
	for (struct conn **p = find(r, t->tgid, -1); *p;
	     p = find(r, t->tgid, -1))
		finish(r, p);
}

static void conns_free(void *rec)
{
	struct conns *r = rec;
	while (r->open)
		finish(r, &r->open);
	for (unsigned i = 0; i < r->nsinks; i++)
		r->sinks[i]->free(r->sink_data[i]);
	free(r);
}

const struct trace_recorder trace_conns_recorder = {
	.syscall_exit = conns_exit,
	.tracee_removed = conns_removed,
	.free = conns_free,
};

static const struct syscall_sig *sig_named(const char *name)
{
	for (unsigned i = 0; i < syscall_sig_count; i++)
		if (!strcmp(syscall_sigs[i].name, name))
			return &syscall_sigs[i];
	return NULL;
}

static bool add_sink(struct conns *r, const struct conn_sink *sink, void *data)
{
	if (!data)
		return false;
	r->sinks[r->nsinks] = sink;
	r->sink_data[r->nsinks++] = data;
	return true;
}

void *trace_conns_new(const struct ptrc_config *config)
{
	struct conns *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	if ((config->transcript_dir &&
	     !add_sink(r, &transcript_sink, transcript_sink_new(config))) ||
	    (config->pcap_path && !add_sink(r, &pcap_sink, pcap_sink_new(config)))) {
		conns_free(r);
		return NULL;
	}
	r->accept = sig_named("accept");
	r->accept4 = sig_named("accept4");
	r->connect = sig_named("connect");
	r->close = sig_named("close");
	r->dup2 = sig_named("dup2");
	r->dup3 = sig_named("dup3");
	return r;
}
