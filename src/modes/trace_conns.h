/* The connections the recorder follows (trace_conns.c), and what is
 * written of them: a sink per --transcript and --pcap
 * (trace_transcript.c, trace_pcap.c). A sink never sees the tracees: it is
 * told of each connection's start, data and end. */
#ifndef PTRC_TRACE_CONNS_H
#define PTRC_TRACE_CONNS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "ptrc/config.h"
#include "ptrc/sock_peer.h"

struct conn_start {
	pid_t tgid;
	const char *name;        /* the process's, /proc/PID/comm */
	bool server;             /* accepted (else connected) */
	bool inet;               /* TCP (PEER set), else a UNIX stream */
	struct sock_peer peer;
};

struct conn_sink {
	/* A connection starts: the sink's state for it (NULL: not kept). */
	void *(*open)(void *sink, const struct conn_start *c);
	/* LEN bytes moved, FROM_CLIENT or from the server. */
	void (*data)(void *sink, void *conn, bool from_client,
		     const unsigned char *bytes, size_t len);
	/* The traced process closed it (or is gone). */
	void (*close)(void *sink, void *conn);
	void (*free)(void *sink);
};

extern const struct conn_sink transcript_sink;
void *transcript_sink_new(const struct ptrc_config *config);
extern const struct conn_sink pcap_sink;
/* The file is made at the first connection (or at the end). */
void *pcap_sink_new(const struct ptrc_config *config);

#endif
