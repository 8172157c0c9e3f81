/* errno and signal names, as strace prints them. */
#ifndef PTRC_NAMES_H
#define PTRC_NAMES_H

/* "ENOENT", or NULL for an unknown value. */
const char *errno_name(long err);
/* "No such file or directory", or NULL. */
const char *errno_message(long err);
/* "SIGSEGV", or NULL for an unknown or real-time signal. */
const char *signal_name(int sig);
/* Like signal_name, but names real-time signals (SIGRT_3) and falls back
 * to the number, formatted into BUF. Never NULL. */
const char *signal_name_buf(int sig, char buf[static 16]);
/* The number of "SIGTERM" or "TERM", or -1. */
int signal_number(const char *name);

/* A signal's default action, as signal(7) lists it (SIGKILL and SIGSTOP
 * included; real-time signals terminate). */
enum signal_action {
	SIGNAL_IGNORED,
	SIGNAL_STOPS,
	SIGNAL_TERMINATES,
	SIGNAL_DUMPS_CORE,  /* terminates and dumps core */
};
enum signal_action signal_default_action(int sig);

#endif
