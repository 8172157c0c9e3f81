/* The output the options ask for, opened before anything is traced (and
 * before --background forks) so that its errors show where the user
 * looks: -o FILE with %p and %n expanded, --syslog / --syslog-socket /
 * --postlog, or stderr. */
#ifndef PTRC_OUTPUT_SETUP_H
#define PTRC_OUTPUT_SETUP_H

#include <stddef.h>
#include "ptrc/config.h"
#include "ptrc/output.h"

/* Returns the output, or NULL with a one-line message printed and
 * *STATUS set to ptrc's exit status. DEFAULT_FD is used when neither -o
 * nor a syslog option was given. */
struct out *output_open(const struct ptrc_config *config, int default_fd,
			int *status);

/* The socket syslog messages go to: --syslog-socket's, Postfix's postlog
 * socket for --postlog (POSTLOG_SERVICE; NULL when unset), else /dev/log. */
const char *output_syslog_socket(const struct ptrc_config *config);

/* Expand -o's placeholders: %p the process id, %n its name (attach: the
 * PID given, /proc/PID/comm; run: ptrc's own pid, the command's base name,
 * as the command's pid is not known before the file must be open), %% a
 * '%'. The name keeps only [A-Za-z0-9._+-@] (others become '_') and never
 * starts with '.'. Returns 0, or an exit status with a message in ERR. */
int output_expand_path(const struct ptrc_config *config, const char *tmpl,
		       char *path, size_t path_size, char *err, size_t err_size);

#endif
