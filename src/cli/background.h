/* ptrc attach --background: the foreground ptrc returns only once the
 * background ptrc has seized every thread (Postfix's debugger_command). */
#ifndef PTRC_BACKGROUND_H
#define PTRC_BACKGROUND_H

struct ptrc_config;

/* Fork. The foreground waits for background_report() (30 s at most),
 * copies what the background wrote to stderr until then to its own
 * stderr and exits with the reported status: it never returns.
 *
 * The background (the caller, on return) is in a session of its own (a
 * signal to the process group it came from does not reach it), has
 * closed every inherited descriptor except KEEP_FD (the output), has
 * stdin and stdout on /dev/null, its working directory at /, and stderr
 * on the report pipe. Returns PTRC_EXIT_OK, or an exit status with a
 * message printed when the fork itself failed (no background then). */
int background_start(int keep_fd);

/* In the background, after attaching: STATUS goes to the foreground,
 * which exits with it; stderr is /dev/null from now on. */
void background_report(int status);

/* In the background after the report, where stderr goes nowhere: TEXT
 * (an error that ends the trace, as "ptrc: TEXT" on stderr) as a mail.err
 * syslog message, to the socket of --syslog/--postlog or /dev/log.
 * Nothing when no one listens there. */
void background_log_error(const struct ptrc_config *config, const char *text);

#endif
