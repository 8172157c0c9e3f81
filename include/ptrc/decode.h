/* Turning a syscall's raw registers (and the tracee memory they point to)
 * into strace-style text. Knows nothing of ptrace stops or output files. */
#ifndef PTRC_DECODE_H
#define PTRC_DECODE_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "ptrc/arch.h"
#include "ptrc/config.h"
#include "ptrc/strbuf.h"
#include "ptrc/syscalls.h"

/* Scratch space reused across calls, so decoding does not allocate once it
 * has grown to the largest -s in use. */
struct decoder {
	const struct ptrc_config *config;
	char *scratch;
	size_t scratch_cap;
};

/* Values of a syscall's arguments saved at its entry for its exit, which
 * the kernel overwrites meanwhile (a socklen's "128" of "[128 => 16]").
 * The caller keeps one per thread (a thread is inside one syscall at a
 * time), zeroed at first; decoding fills and reads it. */
#define DECODE_SAVED_LIST 64
#define DECODE_SAVED_TEXT 96
struct decode_saved {
	uint64_t nr;     /* the syscall they were saved for */
	uint8_t mask;    /* bit per argument index */
	uint64_t values[SYSCALL_MAX_ARGS];
	/* For one argument, more than a value: a list (recvmmsg's
	 * msg_namelen of each message) and a text as printed at entry
	 * (recvmmsg's timeout, which the kernel rewrites). */
	uint32_t list[DECODE_SAVED_LIST];
	char text[DECODE_SAVED_TEXT];
};

/* One syscall as seen at its entry stop. */
struct syscall_call {
	pid_t tid;
	enum ptrc_arch arch;
	uint64_t nr;
	const uint64_t *args;          /* 6 raw argument registers */
	uint64_t sp;                   /* the stack pointer at entry, or 0 */
	const struct syscall_sig *sig; /* NULL for a number the table lacks */
	/* The thread's saved values, the same at entry and exit; NULL: none
	 * are kept (the exit then prints without them, "[16]"). */
	struct decode_saved *saved;
};

void decoder_init(struct decoder *d, const struct ptrc_config *config);
void decoder_free(struct decoder *d);

/* "name" of the call, or "syscall_0x1c8" for an unknown number, into BUF. */
const char *syscall_display_name(const struct syscall_call *call,
				 char buf[static 32]);

/* The signature the call is shown and counted as: a socketcall's sub-call
 * (socket, connect...), else the call's own (NULL for an unknown number). */
const struct syscall_sig *syscall_shown_sig(const struct syscall_call *call);

/* Is the call's successful return value a new descriptor, printed with
 * -y as one ("= 3</etc/hosts>")? Calls that return one (open, socket,
 * accept as an i386 socketcall...), and fcntl's F_DUPFD and
 * F_DUPFD_CLOEXEC. */
bool decode_returns_fd(const struct syscall_call *call);

/* The call as its line shows it: a socketcall's sub-call with the
 * arguments read from its array into SUB_ARGS, an i386 call whose 64-bit
 * arguments come in register pairs; else (and when a socketcall's array
 * cannot be read) CALL itself. SUB holds the call returned when it is not
 * CALL. */
const struct syscall_call *decode_shown_call(const struct syscall_call *call,
					     struct syscall_call *sub,
					     uint64_t sub_args[6]);

/* Argument I of a shown call: false when its line leaves it out (the
 * high half of an i386 register pair). *RAW is its value (a pair's halves
 * as one number), *AT_EXIT whether it is printed when the call returns. */
bool decode_arg_info(const struct syscall_call *call, unsigned i,
		     uint64_t *raw, bool *at_exit);

/* Append "name(" and the arguments known at entry, each followed by ", "
 * when more follow. Returns the index of the first argument left for the
 * exit (== nargs when all were printed). */
unsigned decode_entry(struct decoder *d, struct strbuf *sb,
		      const struct syscall_call *call);

/* What decode_entry does for the arguments printed at exit, alone: save
 * the values at entry that the kernel overwrites (a socklen's "128" of
 * "[128 => 16]"). For a caller that decodes argument by argument
 * (--json); SCRATCH may receive text, to be discarded. */
void decode_save_entry_values(struct decoder *d, struct strbuf *scratch,
			      const struct syscall_call *call);

/* Append the arguments from FIRST on, as the syscall returned RVAL. No
 * closing parenthesis. */
void decode_exit_args(struct decoder *d, struct strbuf *sb,
		      const struct syscall_call *call, unsigned first,
		      int64_t rval, bool is_error);

/* Append argument I alone, as it prints at entry (EXITING false) or at
 * exit. For structured output (--json). */
void decode_arg(struct decoder *d, struct strbuf *sb,
		const struct syscall_call *call, unsigned i, bool exiting,
		int64_t rval, bool is_error);

/* Is CALL printed raw (-e raw=SET): its registers and return in hex? */
bool decode_is_raw(const struct decoder *d, const struct syscall_call *call);

/* Append the return value: "3", "0x7f...", "-1 ENOENT (No such file or
 * directory)", "? ERESTARTSYS (...)", "0x8002 (flags O_RDWR|O_LARGEFILE)". */
void decode_return(struct decoder *d, struct strbuf *sb,
		   const struct syscall_call *call, int64_t rval, bool is_error);

/* Append "{si_signo=SIGCHLD, si_code=CLD_EXITED, ...}". */
void decode_siginfo(struct strbuf *sb, const siginfo_t *si);

/* Append descriptor FD of TID: "3", and what SET (--decode-fds, enum
 * decode_fd_bits of ptrc/config.h) asks for: with -y (path)
 * "3</etc/hosts>", with -yy (all) also
 * "5<TCP:[127.0.0.1:25->127.0.0.1:40312]>"; a kind left out of SET is
 * printed by its path when path is in SET, else as the bare number. */
void decode_fd(struct strbuf *sb, pid_t tid, int fd, unsigned set);

/* Append descriptor FD of the process that PIDFD (a descriptor of TID)
 * refers to, as decode_fd prints it for that process (a bare number when
 * the process is unknown or gone), as strace 6.1 prints pidfd_getfd's. */
void decode_fd_of_pidfd(struct strbuf *sb, pid_t tid, int pidfd, int fd,
			unsigned set);

/* The path behind descriptor FD of TID (/proc/TID/fd/FD) into BUF (SIZE
 * bytes, NUL-terminated, cut to fit), as -y prints and -P matches it: a
 * " (deleted)" the kernel appended is stripped, and *DELETED set, when the
 * path no longer names the file. Its length, or -1 (no such descriptor). */
ssize_t decode_fd_path(pid_t tid, int fd, char *buf, size_t size, bool *deleted);

/* Append TEXT (LEN bytes) as -y prints a path between '<' and '>', which
 * strace's -Y uses for a process name too: C escapes, '<' and '>' in
 * octal, all in hex with -xx (or -x when a byte needs it). */
void decode_put_bracketed(struct strbuf *sb, const char *text, size_t len);
/* Append open(2) flags as strace prints them ("O_RDWR|O_NONBLOCK|O_CLOEXEC"):
 * the access mode, then the other bits, names from the open_flags table.
 * For the flags of /proc/PID/fdinfo (the crash report's descriptors). */
void decode_open_flags(struct strbuf *sb, uint64_t flags);

/* The -x style of the paths decode_fd prints (ESCAPE_C until set);
 * decoder_init sets it from the configuration, which is the process's
 * one. */
void decode_fd_set_escape(enum escape_style style);

/* Append a directory descriptor of the *at calls: decode_fd's, but
 * AT_FDCWD by name in the -X STYLE, with -y the current directory after it
 * ("AT_FDCWD</home/u>"), as strace 6.1 prints it. */
void decode_dirfd(struct strbuf *sb, pid_t tid, int fd, unsigned set,
		  enum xlat_style style);

/* Append strace's hex and ASCII dump of LEN bytes at ADDR in TID, one
 * " | 00000  68 65 ...  he... |" line per 16 bytes: decode_hexdump what
 * can be read of them (-l's -e dump), decode_hexdump_whole by strace's
 * rules for -e read=/write= (64 KiB pieces readable whole, or nothing). */
void decode_hexdump(struct strbuf *sb, pid_t tid, uint64_t addr, uint64_t len);
void decode_hexdump_whole(struct strbuf *sb, pid_t tid, uint64_t addr,
			  uint64_t len);

/* -e read= / -e write=: append the dumps strace prints after the line of
 * CALL (returned RVAL): each transferred buffer's decode_hexdump_whole lines,
 * " * N bytes in buffer K" before each of an iovec's. Nothing for a call
 * that moves no data or whose descriptor is not in CONFIG's sets. */
void decode_io_dump(struct strbuf *sb, const struct ptrc_config *config,
		    const struct syscall_call *call, int64_t rval, bool is_error);

/* Append "SIGSEGV" (or SIGRT_3, or the number). */
void decode_signal_name(struct strbuf *sb, int sig);

#endif
