/* --peer: the gate (trace_gate.h) that writes only the lines of sessions
 * whose remote end is in the list, as Postfix's debug_peer_list does for
 * its logging.
 *
 * Per process (threads share it), what each descriptor is: not known
 * yet, something else, or a TCP connection with a matching peer. A
 * process is "in a session" while it holds at least one matching
 * connection, and then every line of it is written. A connection is
 * recognised at the accept/accept4 that returns it, the connect that
 * makes it, or, for one the process got otherwise (inherited from master,
 * passed over SCM_RIGHTS by postscreen, open before attach), the first
 * call that names the descriptor first: the kernel is asked of the
 * socket's remote end (decode_socket_peer) once, and the answer kept until
 * the descriptor is closed (close, close_range, dup2/dup3 over it, exec).
 * A process made by fork inherits its parent's descriptors and so its
 * view of them (its parent: /proc/PID/status's PPid). */
#include "trace_gate.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "ptrc/proc.h"
#include "ptrc/sock_peer.h"
#include "ptrc/syscalls.h"

enum fd_state { FD_UNKNOWN, FD_OTHER, FD_MATCH };

/* Descriptors above this are looked up at each call, not remembered. */
#define PEER_FD_LIMIT (1 << 20)
#define PEER_BUCKETS 256

struct peer_proc {
	pid_t tgid;
	unsigned threads;   /* its tracees */
	unsigned matching;  /* its FD_MATCH descriptors */
	uint8_t *fds;       /* enum fd_state by descriptor */
	unsigned nfds;
	struct peer_proc *next;
};

/* The calls the gate follows, by signature. */
enum peer_call {
	PC_ACCEPT, PC_ACCEPT4, PC_CONNECT, PC_CLOSE, PC_CLOSE_RANGE, PC_DUP2,
	PC_DUP3, PC_COUNT
};
static const char *const peer_call_names[PC_COUNT] = {
	"accept", "accept4", "connect", "close", "close_range", "dup2", "dup3",
};

struct peer_gate {
	const struct peer_net *nets;
	unsigned nnets;
	const struct syscall_sig *calls[PC_COUNT];
	struct peer_proc *procs[PEER_BUCKETS];
};

static struct peer_proc **bucket(struct peer_gate *g, pid_t tgid)
{
	return &g->procs[(unsigned)tgid % PEER_BUCKETS];
}

static struct peer_proc *find_proc(struct peer_gate *g, pid_t tgid)
{
	for (struct peer_proc *p = *bucket(g, tgid); p; p = p->next)
		if (p->tgid == tgid)
			return p;
	return NULL;
}

static bool net_matches(const struct peer_net *n, const struct sock_peer *peer)
{
	if (n->family != peer->family)
		return false;
	unsigned whole = n->prefix / 8, rest = n->prefix % 8;
	if (memcmp(n->addr, peer->addr, whole) != 0)
		return false;
	if (!rest)
		return true;
	unsigned char mask = (unsigned char)(0xff00u >> rest);
	return (n->addr[whole] & mask) == (peer->addr[whole] & mask);
}

static void set_fd(struct peer_proc *p, unsigned fd, enum fd_state state)
{
	if (fd >= p->nfds) {
		if (state == FD_UNKNOWN || fd >= PEER_FD_LIMIT)
			return;
		unsigned n = p->nfds ? p->nfds : 64;
		while (n <= fd)
			n *= 2;
		uint8_t *grown = realloc(p->fds, n);
		if (!grown)
			return;  /* not remembered: asked again next time */
		memset(grown + p->nfds, FD_UNKNOWN, n - p->nfds);
		p->fds = grown;
		p->nfds = n;
	}
	if (p->fds[fd] == FD_MATCH)
		p->matching--;
	if (state == FD_MATCH)
		p->matching++;
	p->fds[fd] = (uint8_t)state;
}

/* Learn what FD of TID is, unless known already. */
static void classify(struct peer_gate *g, struct peer_proc *p, pid_t tid,
		     uint64_t arg)
{
	if (arg >= PEER_FD_LIMIT)
		return;  /* negative (AT_FDCWD...) or beyond what is kept */
	unsigned fd = (unsigned)arg;
	if (fd < p->nfds && p->fds[fd] != FD_UNKNOWN)
		return;
	struct sock_peer peer;
	switch (decode_socket_peer(tid, (int)fd, &peer)) {
	case SOCK_PEER_OTHER:
	case SOCK_PEER_UNIX_STREAM:
		set_fd(p, fd, FD_OTHER);
		return;
	case SOCK_PEER_REMOTE:
		for (unsigned i = 0; i < g->nnets; i++)
			if (net_matches(&g->nets[i], &peer)) {
				set_fd(p, fd, FD_MATCH);
				return;
			}
		set_fd(p, fd, FD_OTHER);
		return;
	default:  /* closed, or not connected yet: asked again */
		return;
	}
}

static enum peer_call which_call(const struct peer_gate *g,
				 const struct syscall_sig *sig)
{
	for (unsigned i = 0; i < PC_COUNT; i++)
		if (g->calls[i] == sig)
			return (enum peer_call)i;
	return PC_COUNT;
}

static enum trace_gate_verdict peer_entry(void *gate, struct tracee *t,
					  const struct syscall_call *call)
{
	struct peer_gate *g = gate;
	struct peer_proc *p = find_proc(g, t->tgid);
	const struct syscall_sig *sig = call->sig;
	if (!p)
		return GATE_DROP;
	if (sig && sig->nargs > 0 && arg_kinds[sig->kinds[0]].base == BASE_FD)
		classify(g, p, t->tid, call->args[0] & 0xffffffffu);
	if (p->matching)
		return GATE_SHOW;
	enum peer_call c = which_call(g, sig);
	return c == PC_ACCEPT || c == PC_ACCEPT4 || c == PC_CONNECT ?
	       GATE_AT_EXIT : GATE_DROP;
}

/* close_range(FIRST, LAST, FLAGS) closed them (not with
 * CLOSE_RANGE_CLOEXEC: they go at exec). */
static void forget_range(struct peer_proc *p, uint64_t first, uint64_t last)
{
	for (uint64_t fd = first; fd <= last && fd < p->nfds; fd++)
		set_fd(p, (unsigned)fd, FD_UNKNOWN);
}

static bool peer_exit(void *gate, struct tracee *t,
		      const struct syscall_call *call, int64_t rval,
		      bool is_error)
{
	struct peer_gate *g = gate;
	struct peer_proc *p = find_proc(g, t->tgid);
	if (!p)
		return false;
	const uint64_t *a = call->args;
	switch (which_call(g, call->sig)) {
	case PC_CLOSE:  /* gone even when it fails with EINTR */
		if ((a[0] & 0xffffffffu) < p->nfds)
			set_fd(p, (unsigned)a[0], FD_UNKNOWN);
		break;
	case PC_CLOSE_RANGE:
		if (!is_error && !(a[2] & 4 /* CLOSE_RANGE_CLOEXEC */))
			forget_range(p, a[0] & 0xffffffffu, a[1] & 0xffffffffu);
		break;
	case PC_DUP2:
	case PC_DUP3:
		if (!is_error && (a[1] & 0xffffffffu) < p->nfds)
			set_fd(p, (unsigned)a[1], FD_UNKNOWN);
		break;
	case PC_ACCEPT:
	case PC_ACCEPT4:
		if (!is_error)
			classify(g, p, t->tid, (uint64_t)rval);
		break;
	case PC_CONNECT:  /* a non-blocking one has its peer already */
		if (!is_error || rval == -EINPROGRESS)
			classify(g, p, t->tid, a[0] & 0xffffffffu);
		break;
	default:
		break;
	}
	return p->matching > 0;
}

static bool peer_shows(void *gate, const struct tracee *t)
{
	struct peer_proc *p = find_proc(gate, t->tgid);
	return p && p->matching > 0;
}

/* A new process: a child sees its parent's descriptors as they were. */
static void inherit(struct peer_gate *g, struct peer_proc *p)
{
	unsigned long long ppid;
	if (!proc_status_value(p->tgid, "PPid", 10, &ppid))
		return;
	struct peer_proc *parent = find_proc(g, (pid_t)ppid);
	if (!parent || !parent->nfds)
		return;
	p->fds = malloc(parent->nfds);
	if (!p->fds)
		return;
	memcpy(p->fds, parent->fds, parent->nfds);
	p->nfds = parent->nfds;
	p->matching = parent->matching;
}

static void peer_added(void *gate, struct tracee *t)
{
	struct peer_gate *g = gate;
	struct peer_proc *p = find_proc(g, t->tgid);
	if (p) {
		p->threads++;
		return;
	}
	p = calloc(1, sizeof *p);
	if (!p)
		return;  /* its lines are dropped */
	p->tgid = t->tgid;
	p->threads = 1;
	inherit(g, p);
	p->next = *bucket(g, t->tgid);
	*bucket(g, t->tgid) = p;
}

/* After execve the close-on-exec descriptors are gone: a matching one is
 * looked at again, any other is learnt anew. */
static void peer_exec(void *gate, struct tracee *t)
{
	struct peer_gate *g = gate;
	struct peer_proc *p = find_proc(g, t->tgid);
	if (!p)
		return;
	for (unsigned fd = 0; fd < p->nfds; fd++) {
		bool was_match = p->fds[fd] == FD_MATCH;
		set_fd(p, fd, FD_UNKNOWN);
		if (was_match)
			classify(g, p, t->tid, fd);
	}
}

static void free_proc(struct peer_proc *p)
{
	free(p->fds);
	free(p);
}

static void peer_removed(void *gate, struct tracee *t)
{
	struct peer_gate *g = gate;
	for (struct peer_proc **pp = bucket(g, t->tgid); *pp; pp = &(*pp)->next) {
		struct peer_proc *p = *pp;
		if (p->tgid != t->tgid)
			continue;
		if (--p->threads == 0) {
			*pp = p->next;
			free_proc(p);
		}
		return;
	}
}

static void peer_free(void *gate)
{
	struct peer_gate *g = gate;
	for (unsigned i = 0; i < PEER_BUCKETS; i++)
		while (g->procs[i]) {
			struct peer_proc *p = g->procs[i];
			g->procs[i] = p->next;
			free_proc(p);
		}
	free(g);
}

const struct trace_gate trace_peer_gate = {
	.syscall_entry = peer_entry,
	.syscall_exit = peer_exit,
	.shows = peer_shows,
	.tracee_added = peer_added,
	.exec = peer_exec,
	.tracee_removed = peer_removed,
	.free = peer_free,
};

void *trace_peer_new(const struct ptrc_config *config)
{
	struct peer_gate *g = calloc(1, sizeof *g);
	if (!g)
		return NULL;
	g->nets = config->peers;
	g->nnets = config->npeers;
	for (unsigned c = 0; c < PC_COUNT; c++)
		for (unsigned i = 0; i < syscall_sig_count; i++)
			if (!strcmp(syscall_sigs[i].name, peer_call_names[c])) {
				g->calls[c] = &syscall_sigs[i];
				break;
			}
	return g;
}
