/* What the user asked for: filled once by the option parser, then read-only. */
#ifndef PTRC_CONFIG_H
#define PTRC_CONFIG_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "ptrc/escape.h"

enum ptrc_command {
	CMD_RUN,     /* ptrc run [options] -- CMD ARGS... */
	CMD_ATTACH,  /* ptrc attach [options] PID... */
};

enum timestamp_style {
	TS_NONE,
	TS_WALL_US,  /* -tt: 11:00:21.123456 */
};

struct ptrc_config {
	enum ptrc_command command;
	char **argv;          /* CMD_RUN: the command, NULL-terminated */
	pid_t *pids;          /* CMD_ATTACH */
	unsigned npids;

	const char *output_path;  /* -o; NULL: stderr */
	bool follow_forks;        /* -f */
	unsigned string_limit;    /* -s, default 32 */
	enum timestamp_style timestamps;
	bool syscall_times;       /* -T */
	enum escape_style escape;

	/* -e trace=: one bit per index in syscall_sigs; NULL traces all. */
	uint8_t *trace_set;
};

static inline bool config_traces(const struct ptrc_config *config,
				 unsigned sig_index)
{
	return !config->trace_set ||
	       (config->trace_set[sig_index / 8] >> (sig_index % 8)) & 1;
}

#endif
