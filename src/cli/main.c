/* ptrc: wire the options to an output, a mode and the engine. */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "background.h"
#include "options.h"
#include "output_setup.h"
#include "ptrc/engine.h"
#include "ptrc/modes.h"
#include "ptrc/output.h"

static volatile pid_t command_pid;  /* ptrc run: where signals are passed on */

static void on_stop_signal(int signo)
{
	engine_request_stop(signo);
}

static void on_forwarded_signal(int signo)
{
	if (command_pid > 0)
		kill(command_pid, signo);
}

static void set_handler(int signo, void (*handler)(int))
{
	struct sigaction sa = { .sa_handler = handler };  /* no SA_RESTART */
	sigemptyset(&sa.sa_mask);
	sigaction(signo, &sa, NULL);
}

/* attach: Ctrl-C, SIGTERM and SIGHUP detach and leave the process running.
 * run: the command is ptrc's child; SIGTERM and SIGHUP are passed on to it
 * and ptrc keeps tracing until it ends. A terminal's Ctrl-C reaches the
 * command by itself, as it is in the same process group. */
static void install_signal_handlers(const struct ptrc_config *config)
{
	signal(SIGPIPE, SIG_IGN);
	if (config->command == CMD_ATTACH) {
		set_handler(SIGINT, on_stop_signal);
		set_handler(SIGTERM, on_stop_signal);
		set_handler(SIGHUP, on_stop_signal);
		set_handler(SIGQUIT, on_stop_signal);
		return;
	}
	set_handler(SIGTERM, on_forwarded_signal);
	set_handler(SIGHUP, on_forwarded_signal);
	if (isatty(STDIN_FILENO)) {
		signal(SIGINT, SIG_IGN);
		signal(SIGQUIT, SIG_IGN);
	} else {
		set_handler(SIGINT, on_forwarded_signal);
		set_handler(SIGQUIT, on_forwarded_signal);
	}
}

/* The mode that takes the engine's stops: trace, or crash (--crash). */
struct session {
	struct trace_mode *trace;
	struct crash_mode *crash;
	struct engine *engine;
};

static bool session_open(struct session *s, const struct ptrc_config *config,
			 struct out *out, const char *separate_base)
{
	s->crash = config->crash ? crash_mode_new(config, out) : NULL;
	s->trace = config->crash ? NULL : trace_mode_new(config, out);
	s->engine = s->crash ?
		engine_new(config, crash_mode_ops(), s->crash) :
		engine_new(config, trace_mode_ops(), s->trace);
	if ((!s->trace && !s->crash) || !s->engine)
		return false;
	if (s->trace && *separate_base &&
	    !trace_mode_output_separately(s->trace, separate_base))
		return false;
	if (s->crash)
		crash_mode_set_engine(s->crash, s->engine);
	else
		trace_mode_set_engine(s->trace, s->engine);
	return true;
}

static void session_close(struct session *s)
{
	/* The engine first: it hands tracees still in its table back to
	 * the mode, which must be alive to free their state. */
	engine_free(s->engine);
	trace_mode_free(s->trace);
	crash_mode_free(s->crash);
}

/* ptrc attach: every PID, or none (detach all on a failure). */
static int attach_all(struct engine *engine, const struct ptrc_config *config)
{
	int status = PTRC_EXIT_OK;
	for (unsigned i = 0; i < config->npids && status == PTRC_EXIT_OK; i++)
		status = config->attach_tree ?
			engine_attach_tree(engine, config->pids[i]) :
			engine_attach(engine, config->pids[i]);
	if (status != PTRC_EXIT_OK)
		engine_detach_all(engine);
	if (config->background) {
		/* The daemon waits in system(): let it go on only
		 * once its syscalls stop, so that none is missed. */
		if (status == PTRC_EXIT_OK)
			engine_settle(engine, 5000);
		background_report(status);
	}
	return status;
}

/* A failed write of the trace: said on stderr (and to syslog when in the
 * background), and the exit status unless there is another. */
static int check_output(struct out *out, const struct session *session,
			const struct ptrc_config *config, int status)
{
	int error = out_error(out);
	if (!error && session->trace)
		error = trace_mode_output_error(session->trace);
	if (!error)
		return status;
	char text[256];
	snprintf(text, sizeof text, "writing the trace: %s", strerror(error));
	fprintf(stderr, "ptrc: %s\n", text);
	if (config->background)
		background_log_error(config, text);
	return status == PTRC_EXIT_OK ? PTRC_EXIT_OUTPUT : status;
}

/* ptrc stack, triage, report: print the stacks, the triage or the core's
 * report to OUT, then end. */
static int run_stack_command(struct ptrc_config *config, struct out *out)
{
	signal(SIGPIPE, SIG_IGN);
	int status = config->command == CMD_TRIAGE ?
			     triage_command(config, out) :
		     config->command == CMD_REPORT ?
			     report_command(config, out) :
			     stack_command(config, out);
	out_close(out);
	config_free(config);
	return status;
}

int main(int argc, char **argv)
{
	/* A setuid ptrc would let anyone trace anything: refuse. */
	if (getuid() != geteuid() || getgid() != getegid()) {
		fputs("ptrc: refusing to run setuid or setgid\n", stderr);
		return PTRC_EXIT_SETUID;
	}
	struct ptrc_config config;
	enum parse_result parsed = parse_options(argc, argv, &config);
	if (parsed == PARSE_EXIT_OK)
		return PTRC_EXIT_OK;
	if (parsed != PARSE_OK) {
		config_free(&config);
		return parsed == PARSE_NOT_IMPLEMENTED ?
		       PTRC_EXIT_NOT_IMPLEMENTED : PTRC_EXIT_USAGE;
	}

	/* -o (with %p, %n), --syslog, or stderr; ptrc stack (and triage)
	 * prints its result to stdout, as eu-stack does. */
	bool to_stdout = config.command == CMD_STACK ||
			 config.command == CMD_TRIAGE ||
			 config.command == CMD_REPORT;
	int open_status;
	char separate_base[4096];  /* -ff: the FILE of FILE.TID */
	struct out *out = output_open(&config,
				      to_stdout ? STDOUT_FILENO : STDERR_FILENO,
				      separate_base, sizeof separate_base,
				      &open_status);
	if (!out) {
		config_free(&config);
		return open_status;
	}
	if (to_stdout)
		return run_stack_command(&config, out);

	struct session session;
	if (!session_open(&session, &config, out, separate_base)) {
		fputs("ptrc: out of memory\n", stderr);
		return PTRC_EXIT_INTERNAL;
	}
	install_signal_handlers(&config);

	/* --background: the output is open (its errors showed here); the
	 * attach happens in the background ptrc, the one that traces, and
	 * the foreground exits with its outcome. */
	if (config.background) {
		int forked = background_start(out_fd(out));
		if (forked != PTRC_EXIT_OK)
			return forked;
	}

	int status;
	if (config.command == CMD_RUN) {
		status = engine_spawn(session.engine, config.argv);
		command_pid = engine_command_pid(session.engine);
	} else {
		status = attach_all(session.engine, &config);
	}
	if (status == PTRC_EXIT_OK)
		status = check_output(out, &session, &config,
				      engine_run(session.engine));

	session_close(&session);
	out_close(out);
	config_free(&config);
	return status;
}
