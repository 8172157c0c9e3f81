/* --transcript DIR: one file per TCP or UNIX stream connection a traced
 * process accepts or connects, holding the dialogue as the process read
 * and wrote it, line by line: "C: " what the client said, "S: " what the
 * server said (the process is the server of what it accepted, the client
 * of what it connected), every byte outside printable ASCII escaped
 * (escape_bare), a CR before the LF dropped. The file is named
 * TIME-PEER.PORT-NAME.PID.txt (PORT: the service's, the local one of a
 * server, the remote one of a client) and made 0600, never over another
 * file. The header's queue-id field is filled in place once the server
 * says "queued as ID" (Postfix). After a "220 ... Ready to start TLS" the
 * connection carries TLS records: the transcript says so and records no
 * more (the plaintext, from SSL_read/SSL_write, is not recorded yet).
 * Which connections, and when: trace_conns.c. */
#include "trace_conns.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "ptrc/escape.h"
#include "ptrc/out_name.h"
#include "ptrc/sock_peer.h"
#include "ptrc/strbuf.h"

#define TRANSCRIPT_LINE_MAX 8192   /* a longer line is cut there */
#define QUEUE_ID_WIDTH 32

struct transcript {
	pid_t tgid;
	int file;           /* the transcript */
	bool server;
	bool tls;           /* after STARTTLS: nothing more recorded */
	bool queue_id_set;
	off_t queue_id_at;  /* where the header's queue-id field starts */
	struct strbuf part[2];  /* a line not ended yet: [0] C, [1] S */
};

struct transcript_rec {
	const char *dir;
	bool said_error;
	struct strbuf sb;
};

static void put(struct transcript *tr, const struct strbuf *sb)
{
	if (sb->len && write(tr->file, sb->data, sb->len) < 0)
		return;  /* a full disk: the transcript is short, the trace goes on */
}

/* "192.0.2.7", "2001:db8::1" of PEER. */
static void put_addr(struct strbuf *sb, int family, const unsigned char *addr)
{
	char text[INET6_ADDRSTRLEN] = "?";
	inet_ntop(family, addr, text, sizeof text);
	sb_puts(sb, text);
}

static void header(struct transcript_rec *r, struct transcript *tr,
		   const char *name, const struct sock_peer *peer, bool inet)
{
	struct strbuf *sb = &r->sb;
	sb_reset(sb);
	sb_printf(sb, "# ptrc transcript\n# process: ");
	escape_bare_str(sb, name);
	sb_printf(sb, " %d\n# role: %s (C: the client, S: the server)\n",
		  (int)tr->tgid, tr->server ? "server" : "client");
	if (inet) {
		sb_puts(sb, "# local: ");
		put_addr(sb, peer->family, peer->local_addr);
		sb_printf(sb, " port %u\n# peer: ", peer->local_port);
		put_addr(sb, peer->family, peer->addr);
		sb_printf(sb, " port %u\n", peer->port);
	} else {
		sb_puts(sb, "# peer: a UNIX stream socket\n");
	}
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	char when[64];
	strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", localtime(&now.tv_sec));
	sb_printf(sb, "# start: %s.%06ld\n# queue-id: ", when, now.tv_nsec / 1000);
	tr->queue_id_at = (off_t)sb->len;
	sb_printf(sb, "%-*s\n", QUEUE_ID_WIDTH, "-");
	put(tr, sb);
}

/* DIR/TIME-PEER.PORT-NAME.PID.txt, created new (a -N before ".txt" when
 * taken); -1 when it cannot be. */
static int create_file(struct transcript_rec *r, const char *peer_part,
		       const char *name, pid_t tgid)
{
	char stamp[32], path[4400];
	time_t now = time(NULL);
	strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%S", localtime(&now));
	for (int n = 0; n < 100; n++) {
		char suffix[16] = "";
		if (n)
			snprintf(suffix, sizeof suffix, "-%d", n);
		snprintf(path, sizeof path, "%s/%s-%s-%s.%d%s.txt", r->dir,
			 stamp, peer_part, name, (int)tgid, suffix);
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
			      O_CLOEXEC, 0600);
		if (fd >= 0 || errno != EEXIST) {
			if (fd < 0 && !r->said_error) {
				fprintf(stderr, "ptrc: --transcript: cannot create "
					"%s: %s\n", path, strerror(errno));
				r->said_error = true;
			}
			return fd;
		}
	}
	return -1;
}

/* A connection starts: its file, named and headed. */
static void *tr_open(void *sink, const struct conn_start *c)
{
	struct transcript_rec *r = sink;
	char safe[16], peer_part[INET6_ADDRSTRLEN + 8] = "unix";
	snprintf(safe, sizeof safe, "%s", c->name);
	out_sanitize_name(safe);
	if (c->inet) {
		struct strbuf sb;
		sb_init(&sb);
		put_addr(&sb, c->peer.family, c->peer.addr);
		snprintf(peer_part, sizeof peer_part, "%s.%u", sb.data,
			 c->server ? c->peer.local_port : c->peer.port);
		sb_free(&sb);
		for (char *p = peer_part; *p; p++)
			if (*p == ':')
				*p = '_';  /* IPv6: no ':' in a file name */
	}
	struct transcript *tr = calloc(1, sizeof *tr);
	if (!tr)
		return NULL;
	tr->file = create_file(r, peer_part, safe, c->tgid);
	if (tr->file < 0) {
		free(tr);
		return NULL;
	}
	tr->tgid = c->tgid;
	tr->server = c->server;
	sb_init(&tr->part[0]);
	sb_init(&tr->part[1]);
	header(r, tr, c->name, &c->peer, c->inet);
	return tr;
}

/* "queued as ID": ID into the header, once. */
static void note_queue_id(struct transcript *tr, const char *line, size_t len)
{
	static const char key[] = "queued as ";
	const char *at = memmem(line, len, key, sizeof key - 1);
	if (tr->queue_id_set || !at)
		return;
	at += sizeof key - 1;
	size_t n = 0;
	while (at + n < line + len && n < QUEUE_ID_WIDTH &&
	       ((at[n] >= '0' && at[n] <= '9') || (at[n] >= 'A' && at[n] <= 'Z') ||
		(at[n] >= 'a' && at[n] <= 'z')))
		n++;
	if (n && pwrite(tr->file, at, n, tr->queue_id_at) == (ssize_t)n)
		tr->queue_id_set = true;
}

/* One whole line of SIDE (0: C, 1: S), without its LF. */
static void line(struct transcript_rec *r, struct transcript *tr, int side,
		 const char *text, size_t len)
{
	if (len && text[len - 1] == '\r')
		len--;
	sb_reset(&r->sb);
	sb_puts(&r->sb, side ? "S: " : "C: ");
	escape_bare(&r->sb, text, len);
	sb_putc(&r->sb, '\n');
	put(tr, &r->sb);
	if (side == 1)
		note_queue_id(tr, text, len);
	if (side == 1 && len >= 4 && !memcmp(text, "220 ", 4) &&
	    memmem(text, len, "Ready to start TLS", 18)) {
		sb_reset(&r->sb);
		sb_puts(&r->sb, "# STARTTLS: TLS from here on; its plaintext "
			"(SSL_read/SSL_write) is not recorded\n");
		put(tr, &r->sb);
		tr->tls = true;
	}
}

/* LEN bytes of SIDE: whole lines out, the rest kept for the next. */
static void data(struct transcript_rec *r, struct transcript *tr, int side,
		 const unsigned char *bytes, size_t len)
{
	struct strbuf *part = &tr->part[side];
	for (size_t i = 0; i < len && !tr->tls; i++) {
		if (bytes[i] != '\n') {
			sb_putc(part, (char)bytes[i]);
			if (part->len < TRANSCRIPT_LINE_MAX)
				continue;
		}
		line(r, tr, side, part->data, part->len);
		sb_reset(part);
	}
}

static void tr_close(void *sink, void *conn)
{
	struct transcript_rec *r = sink;
	struct transcript *tr = conn;
	for (int side = 0; side < 2; side++) {
		if (tr->part[side].len && !tr->tls)
			line(r, tr, side, tr->part[side].data, tr->part[side].len);
		sb_free(&tr->part[side]);
	}
	close(tr->file);
	free(tr);
}

static void tr_data(void *sink, void *conn, bool from_client,
		    const unsigned char *bytes, size_t len)
{
	data(sink, conn, from_client ? 0 : 1, bytes, len);
}

static void tr_free(void *sink)
{
	struct transcript_rec *r = sink;
	sb_free(&r->sb);
	free(r);
}

const struct conn_sink transcript_sink = {
	.open = tr_open,
	.data = tr_data,
	.close = tr_close,
	.free = tr_free,
};

void *transcript_sink_new(const struct ptrc_config *config)
{
	struct transcript_rec *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	r->dir = config->transcript_dir;
	sb_init(&r->sb);
	return r;
}
