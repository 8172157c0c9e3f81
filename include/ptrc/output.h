/* Where ptrc's lines go: a file, a pipe, a terminal. Writes are buffered
 * and go out in large chunks; out_flush is called on a timer, at exit and
 * before ptrc stops for a signal, so nothing written is lost. */
#ifndef PTRC_OUTPUT_H
#define PTRC_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>

struct out;

/* Open PATH for writing, safely for a root process writing into a
 * directory others can write to: a symlink as last component is refused,
 * a new file is created 0600, and only a regular file is truncated
 * (APPEND: kept, written at its end). Returns NULL with a one-line
 * reason in ERR. */
struct out *out_open_path(const char *path, bool append, char *err,
			  size_t err_size);
/* -o '|CMD': CMD run by /bin/sh with the trace on its stdin. ptrc does
 * not wait for it (the shell is not ptrc's child, so the tracer's wait
 * for any child never meets it); out_close ends its input. */
struct out *out_open_pipe(const char *command, char *err, size_t err_size);
/* Write to an already open descriptor (stderr), not closed by out_close. */
struct out *out_open_fd(int fd);
/* Each line written becomes a syslog message (ptrc/syslog_sink.h); takes
 * SINK over (closed by out_close). Lines are sent on out_flush. */
struct syslog_sink;
struct out *out_open_syslog(struct syslog_sink *sink);
/* The descriptor written to (--background keeps it open). */
int out_fd(const struct out *o);

void out_write(struct out *o, const char *data, size_t len);
/* Returns 0, or -1 once any write has failed (see out_error). */
int out_flush(struct out *o);
/* The errno of the first failed write, or 0. */
int out_error(const struct out *o);
void out_close(struct out *o);

#endif
