/* --pcap FILE: the sink (trace_conns.h) that writes each TCP connection
 * as a synthesised stream between its real endpoints
 * (ptrc/pcap_stream.h): the handshake at its start, the data as it moved,
 * FIN each way at its end, the traced process's first; a connection
 * seen from both ends (-f) once, from the end that saw it first. UNIX
 * streams have no endpoints to put in a packet: left out. */
#include "trace_conns.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ptrc/pcap_stream.h"

struct pcap_conn {
	struct tcp_flow flow;
	bool server;  /* the traced process's side */
	struct pcap_conn *next;
};

struct pcap_sink {
	const char *path;
	bool failed;
	struct pcap_writer *w;  /* opened at the first connection */
	struct pcap_conn *open;  /* for one stream per connection */
};

/* Is F's connection written already, seen from its other end (-f: both
 * the client and the server traced)? */
static bool written(const struct pcap_sink *s, const struct tcp_flow *f)
{
	for (const struct pcap_conn *c = s->open; c; c = c->next)
		if (c->flow.family == f->family &&
		    c->flow.client_port == f->client_port &&
		    c->flow.server_port == f->server_port &&
		    !memcmp(c->flow.client, f->client, 16) &&
		    !memcmp(c->flow.server, f->server, 16))
			return true;
	return false;
}

/* The file, opened when first needed: --background's ptrc closes the
 * descriptors the foreground opened (but the output's) after the fork. */
static bool writer(struct pcap_sink *s)
{
	char err[4200];
	if (s->w || s->failed)
		return s->w != NULL;
	s->w = pcap_writer_open(s->path, err, sizeof err);
	if (!s->w) {
		fprintf(stderr, "ptrc: --pcap: %s\n", err);
		s->failed = true;
	}
	return s->w != NULL;
}

static void *pc_open(void *sink, const struct conn_start *c)
{
	struct pcap_sink *s = sink;
	if (!c->inet || !writer(s))
		return NULL;
	struct pcap_conn *pc = calloc(1, sizeof *pc);
	if (!pc)
		return NULL;
	struct tcp_flow *f = &pc->flow;
	const struct sock_peer *p = &c->peer;
	f->family = p->family;
	memcpy(c->server ? f->client : f->server, p->addr, 16);
	memcpy(c->server ? f->server : f->client, p->local_addr, 16);
	f->client_port = c->server ? p->port : p->local_port;
	f->server_port = c->server ? p->local_port : p->port;
	pc->server = c->server;
	if (written(s, f)) {
		free(pc);
		return NULL;
	}
	pcap_flow_open(s->w, f);
	pc->next = s->open;
	s->open = pc;
	return pc;
}

static void pc_data(void *sink, void *conn, bool from_client,
		    const unsigned char *bytes, size_t len)
{
	struct pcap_sink *s = sink;
	struct pcap_conn *pc = conn;
	pcap_flow_data(s->w, &pc->flow, from_client, bytes, len);
}

static void pc_close(void *sink, void *conn)
{
	struct pcap_sink *s = sink;
	struct pcap_conn *pc = conn;
	pcap_flow_close(s->w, &pc->flow, !pc->server);
	for (struct pcap_conn **p = &s->open; *p; p = &(*p)->next)
		if (*p == pc) {
			*p = pc->next;
			break;
		}
	free(pc);
}

static void pc_free(void *sink)
{
	struct pcap_sink *s = sink;
	writer(s);  /* an empty capture when no connection was seen */
	if (!pcap_writer_close(s->w))
		fputs("ptrc: --pcap: writing the capture failed\n", stderr);
	free(s);
}

const struct conn_sink pcap_sink = {
	.open = pc_open,
	.data = pc_data,
	.close = pc_close,
	.free = pc_free,
};

void *pcap_sink_new(const struct ptrc_config *config)
{
	struct pcap_sink *s = calloc(1, sizeof *s);
	if (s)
		s->path = config->pcap_path;
	return s;
}
