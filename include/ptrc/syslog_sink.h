/* Trace lines as syslog messages, written as datagrams to a unix socket:
 * /dev/log (RFC 3164: "<PRI>Mmm dd hh:mm:ss ptrc[PID]: text") or Postfix's
 * postlog socket (Postfix's own record format, which postlogd writes into
 * maillog_file as it is: "Mmm dd hh:mm:ss HOST ptrc[PID]: text").
 *
 * One line is one message. A line longer than a message may be is split:
 * every part but the last ends with SYSLOG_CONT_MARK, every part but the
 * first starts with it. Bytes below 0x20 and 0x7f (ptrc escapes them
 * already; this is a second guard) are sent as \ooo. Used through
 * out_open_syslog (ptrc/output.h). */
#ifndef PTRC_SYSLOG_SINK_H
#define PTRC_SYSLOG_SINK_H

#include <stdbool.h>
#include <stddef.h>

/* Largest datagram sent, header included (RFC 3164's limit). */
#define SYSLOG_MAX_MESSAGE 1024
#define SYSLOG_CONT_MARK "[...]"
#define SYSLOG_DEFAULT_SOCKET "/dev/log"

enum syslog_format {
	SYSLOG_FORMAT_RFC3164,  /* a syslog daemon's socket */
	SYSLOG_FORMAT_POSTLOG,  /* Postfix's postlog socket */
};

struct syslog_sink;

/* "FACILITY.PRIORITY" (mail.info, local0.debug, daemon.warning...) or a
 * lone FACILITY (priority info) into a syslog PRI value (facility * 8 +
 * severity). Returns false for an unknown name. */
bool syslog_parse_priority(const char *text, int *pri);

/* Connect to the datagram socket PATH (a stream socket also works for
 * /dev/log). Returns NULL with a one-line reason in ERR: the caller fails
 * rather than dropping every line. */
struct syslog_sink *syslog_sink_open(const char *path, enum syslog_format format,
				     int pri, const char *ident,
				     char *err, size_t err_size);

/* Send every complete line of DATA (up to its last '\n'; all of DATA when
 * FINAL). Returns the number of bytes consumed. */
size_t syslog_sink_send(struct syslog_sink *s, const char *data, size_t len,
			bool final);

/* The errno of the first failed send, or 0. */
int syslog_sink_error(const struct syslog_sink *s);
/* The socket's descriptor (kept open by --background). */
int syslog_sink_fd(const struct syslog_sink *s);
void syslog_sink_close(struct syslog_sink *s);

#endif
