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
 * nor a syslog option was given, and with -ff, whose per-thread files
 * are SEPARATE_BASE.TID (set to "" otherwise). */
struct out *output_open(const struct ptrc_config *config, int default_fd,
			char *separate_base, size_t base_size, int *status);

/* The socket syslog messages go to: --syslog-socket's, Postfix's postlog
 * socket for --postlog (POSTLOG_SERVICE; NULL when unset), else /dev/log. */
const char *output_syslog_socket(const struct ptrc_config *config);

#endif
