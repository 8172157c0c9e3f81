/* Reading a wait status (waitpid(2), ptrace(2)): what kind of stop. */
#ifndef PTRC_WAIT_STATUS_H
#define PTRC_WAIT_STATUS_H

#include <signal.h>
#include <stdbool.h>
#include <sys/wait.h>

#ifndef PTRACE_EVENT_STOP
#define PTRACE_EVENT_STOP 128
#endif

/* Exited or killed: the task is gone. */
static inline bool status_ended(int status)
{
	return WIFEXITED(status) || WIFSIGNALED(status);
}

/* The PTRACE_EVENT_* of a stop, 0 for a signal or syscall stop. */
static inline unsigned status_event(int status)
{
	return (unsigned)status >> 16;
}

/* A syscall stop (PTRACE_O_TRACESYSGOOD's SIGTRAP | 0x80). */
static inline bool status_syscall_stop(int status)
{
	return WSTOPSIG(status) == (SIGTRAP | 0x80);
}

/* The signal of a signal-delivery-stop, 0 for any other stop: the signal
 * a tracee detached from that stop goes on with. */
static inline int status_delivery_signal(int status)
{
	if (!WIFSTOPPED(status) || status_event(status) ||
	    status_syscall_stop(status))
		return 0;
	return WSTOPSIG(status);
}

static inline bool is_stop_signal(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN ||
	       sig == SIGTTOU;
}

#endif
