#include "output_setup.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ptrc/engine.h"
#include "ptrc/out_name.h"
#include "ptrc/syslog_sink.h"

static int process_name(const struct ptrc_config *config, char *name,
			size_t size, char *err, size_t err_size)
{
	if (config->command == CMD_RUN) {
		const char *base = strrchr(config->argv[0], '/');
		base = base ? base + 1 : config->argv[0];
		/* As the kernel's comm: at most 15 bytes. */
		snprintf(name, size < 16 ? size : 16, "%s", base);
		return 0;
	}
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/comm", (int)config->pids[0]);
	FILE *f = fopen(path, "re");
	if (!f || !fgets(name, (int)size, f)) {
		if (f)
			fclose(f);
		snprintf(err, err_size, "no such process: %d", (int)config->pids[0]);
		return PTRC_EXIT_NO_PROCESS;
	}
	fclose(f);
	name[strcspn(name, "\n")] = '\0';
	return 0;
}

/* Expand -o's placeholders: %p the process id, %n its name (attach: the
 * PID given, /proc/PID/comm; run: ptrc's own pid, the command's base name,
 * as the command's pid is not known before the file must be open), %% a
 * '%' (ptrc/out_name.h, which also makes the name safe). Returns 0, or an
 * exit status with a message in ERR. */
static int output_expand_path(const struct ptrc_config *config,
			      const char *tmpl, char *path, size_t path_size,
			      char *err, size_t err_size)
{
	char name[64] = "";
	pid_t pid = config->command == CMD_ATTACH && config->npids ?
		    config->pids[0] : getpid();
	if (out_name_has_placeholders(tmpl)) {
		if (config->command == CMD_ATTACH && config->npids != 1) {
			const char *p = strstr(tmpl, "%p");
			snprintf(err, err_size, "-o %%%c needs exactly one PID",
				 p ? 'p' : 'n');
			return PTRC_EXIT_USAGE;
		}
		if (strstr(tmpl, "%n")) {
			int r = process_name(config, name, sizeof name, err,
					     err_size);
			if (r)
				return r;
		}
	}
	char bad;
	int r = out_expand_name(tmpl, pid, name, path, path_size, &bad);
	if (r == -2)
		snprintf(err, err_size, "-o: unknown placeholder '%%%s' "
			 "(%%p, %%n or %%%%)", bad ? (char[]){ bad, 0 } : "");
	else if (r == -1)
		snprintf(err, err_size, "-o: path too long");
	return r ? PTRC_EXIT_USAGE : 0;
}

const char *output_syslog_socket(const struct ptrc_config *config)
{
	if (config->syslog_socket)
		return config->syslog_socket;
	if (config->syslog && config->syslog_postlog) {
		/* A Postfix daemon tells the programs it starts. */
		const char *socket = getenv("POSTLOG_SERVICE");
		return socket && *socket ? socket : NULL;
	}
	return SYSLOG_DEFAULT_SOCKET;
}

/* -o PATH: a file (placeholders expanded), or "|CMD" / "!CMD" a pipe to
 * CMD. With -ff the file is per thread, opened by the trace mode at
 * BASE.TID; the shared output is then DEFAULT_FD. */
static struct out *open_path_output(const struct ptrc_config *config,
				    int default_fd, char *base,
				    size_t base_size, char *err,
				    size_t err_size, int *status)
{
	const char *tmpl = config->output_path;
	if (tmpl[0] == '|' || tmpl[0] == '!')
		return out_open_pipe(tmpl + 1, err, err_size);
	char path[4096];
	int r = output_expand_path(config, tmpl, path, sizeof path, err,
				   err_size);
	if (r) {
		*status = r;
		return NULL;
	}
	if (config->output_separately) {
		snprintf(base, base_size, "%s", path);
		struct out *out = out_open_fd(default_fd);
		if (!out)
			snprintf(err, err_size, "out of memory");
		return out;
	}
	return out_open_path(path, config->output_append, err, err_size);
}

struct out *output_open(const struct ptrc_config *config, int default_fd,
			char *separate_base, size_t base_size, int *status)
{
	char err[4400];
	struct out *out = NULL;
	*status = PTRC_EXIT_OUTPUT;
	separate_base[0] = '\0';
	if (config->syslog) {
		const char *socket = output_syslog_socket(config);
		if (!socket) {
			fputs("ptrc: --postlog without a socket path, and "
			      "POSTLOG_SERVICE is not set\n", stderr);
			*status = PTRC_EXIT_USAGE;
			return NULL;
		}
		struct syslog_sink *sink = syslog_sink_open(socket,
			config->syslog_postlog ? SYSLOG_FORMAT_POSTLOG :
						 SYSLOG_FORMAT_RFC3164,
			config->syslog_priority, "ptrc", err, sizeof err);
		if (sink && !(out = out_open_syslog(sink))) {
			syslog_sink_close(sink);
			snprintf(err, sizeof err, "out of memory");
		}
	} else if (config->output_path) {
		out = open_path_output(config, default_fd, separate_base,
				       base_size, err, sizeof err, status);
	} else {
		out = out_open_fd(default_fd);
		snprintf(err, sizeof err, "out of memory");
	}
	if (!out)
		fprintf(stderr, "ptrc: %s\n", err);
	return out;
}
