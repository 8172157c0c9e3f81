/* Names of errno values and signals, from their tables
 * (xlat/errno_names.tbl, xlat/signal_names.tbl), shared by every
 * architecture ptrc traces (x86_64, i386 and aarch64 use the generic
 * numbering). */
#include "ptrc/names.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "xlat.h"
#include "xlat_tables.h"

/* Messages for the kernel-internal values, which libc does not know. */
static const char *const internal_errno_messages[] = {
	[512 - 512] = "To be restarted if SA_RESTART is set",
	[513 - 512] = "To be restarted",
	[514 - 512] = "To be restarted if no handler",
	[516 - 512] = "Interrupted by signal",
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const char *errno_name(long err)
{
	return err > 0 ? xlat_name(&xlat_errno_names, (uint64_t)err) : NULL;
}

const char *errno_message(long err)
{
	if (err >= 512 && (unsigned long)(err - 512) < COUNT(internal_errno_messages))
		return internal_errno_messages[err - 512];
	if (err > 0 && err < 512)
		return strerror((int)err);
	return NULL;
}

const char *signal_name(int sig)
{
	return sig > 0 ? xlat_name(&xlat_signal_names, (uint64_t)sig) : NULL;
}

const char *signal_name_buf(int sig, char buf[static 16])
{
	const char *name = signal_name(sig);
	if (name)
		return name;
	if (sig >= 32 && sig <= 64) {
		/* Real-time signals: strace counts from SIGRTMIN = 32 (the
		 * kernel's, not glibc's, which reserves two). */
		if (sig == 32)
			snprintf(buf, 16, "SIGRTMIN");
		else
			snprintf(buf, 16, "SIGRT_%d", sig - 32);
		return buf;
	}
	snprintf(buf, 16, "%d", sig);
	return buf;
}

int signal_number(const char *name)
{
	/* "TERM" or "SIGTERM" */
	size_t skip = strncmp(name, "SIG", 3) != 0 ? 3 : 0;
	for (unsigned i = 0; i < xlat_signal_names.count; i++) {
		const struct xlat_entry *e = &xlat_signal_names.entries[i];
		if (!strcmp(e->name + skip, name))
			return (int)e->value;
	}
	return -1;
}

enum signal_action signal_default_action(int sig)
{
	switch (sig) {
	case SIGCHLD: case SIGCONT: case SIGURG: case SIGWINCH:
		return SIGNAL_IGNORED;
	case SIGSTOP: case SIGTSTP: case SIGTTIN: case SIGTTOU:
		return SIGNAL_STOPS;
	case SIGQUIT: case SIGILL: case SIGTRAP: case SIGABRT: case SIGBUS:
	case SIGFPE: case SIGSEGV: case SIGXCPU: case SIGXFSZ: case SIGSYS:
		return SIGNAL_DUMPS_CORE;
	}
	return SIGNAL_TERMINATES;
}
