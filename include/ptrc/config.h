/* What the user asked for: filled once by the option parser, then read-only. */
#ifndef PTRC_CONFIG_H
#define PTRC_CONFIG_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "ptrc/escape.h"
#include "ptrc/syscalls.h"

enum ptrc_command {
	CMD_RUN,     /* ptrc run [options] -- CMD ARGS... */
	CMD_ATTACH,  /* ptrc attach [options] PID... */
	CMD_STACK,   /* ptrc stack [options] PID...: print stacks, detach */
	CMD_TRIAGE,  /* ptrc triage [options] FILE...: group crash reports */
	CMD_REPORT,  /* ptrc report --core FILE: a core's crash report */
};

/* -X: how values with a name in a flag or enum table print (see
 * src/decode/xlat.h). */
enum xlat_style {
	XLAT_STYLE_ABBREV,   /* names: "O_RDWR|O_CLOEXEC" (the default) */
	XLAT_STYLE_RAW,      /* the number: "0x80002" */
	XLAT_STYLE_VERBOSE,  /* both: "0x80002 / * O_RDWR|O_CLOEXEC * /" */
};

/* -t, -tt, -ttt, --absolute-timestamps=FORMAT,PRECISION (as strace). */
enum timestamp_format {
	TS_NONE,
	TS_TIME,  /* -t: 11:00:21, -tt: 11:00:21.123456 */
	TS_UNIX,  /* -ttt: 1700000421.123456, seconds since the epoch */
};

/* --decode-pids=: bits. */
enum decode_pid_bits {
	DECODE_PID_COMM = 1 << 0,   /* -Y: [pid 1234<smtpd>] */
	DECODE_PID_PIDNS = 1 << 1,  /* --decode-pids=pidns */
};

/* -e inject=SET:... / -e fault=SET:...: what is done to a syscall, and at
 * which of a thread's calls to it (when=FIRST..LAST+STEP: the FIRST-th,
 * then every STEP-th up to the LAST-th; STEP 0: the FIRST-th alone). */
#define INJECT_LAST_INF 0xffff
struct inject_rule {
	uint16_t first, last, step;
	bool error;          /* error=E: the call is not made, it fails with E */
	bool retval;         /* retval=N: not made, it returns N */
	uint64_t value;      /* E or N */
	int replace_sig;     /* syscall=NAME made instead (index in
			      * syscall_sigs, a %pure one); -1: none */
	int signal;          /* signal=S delivered at entry; 0: none */
	bool delay_enter, delay_exit;
	uint64_t delay_enter_us, delay_exit_us;
};

/* -c's columns (-U) and sort keys (-S), strace 6.1's. */
enum summary_column {
	SUMMARY_COL_NONE,
	SUMMARY_COL_PERCENT,   /* % time */
	SUMMARY_COL_TOTAL,     /* seconds */
	SUMMARY_COL_MIN,       /* shortest */
	SUMMARY_COL_MAX,       /* longest */
	SUMMARY_COL_AVG,       /* usecs/call */
	SUMMARY_COL_CALLS,
	SUMMARY_COL_ERRORS,
	SUMMARY_COL_NAME,      /* syscall */
	SUMMARY_COL_COUNT,
};

/* -e read=/write= descriptor sets: a bit for each of the descriptors a
 * list can name (0 to FD_SET_NAMED - 1), then one byte for all those from
 * FD_SET_NAMED on, which only `all` or a negated list selects. */
#define FD_SET_NAMED 1024
#define FD_SET_BYTES (FD_SET_NAMED / 8 + 1)

struct ptrc_config {
	enum ptrc_command command;
	char **argv;          /* CMD_RUN: the command, NULL-terminated;
				 CMD_TRIAGE: the files */
	pid_t *pids;          /* CMD_ATTACH */
	unsigned npids;

	const char *output_path;  /* -o; NULL: stderr; "|CMD", "!CMD": a pipe */
	bool output_append;       /* -A: append to -o's file(s) */
	/* -ff with -o, --output-separately: one file per thread,
	 * OUTPUT_PATH.TID, no [pid N] prefix (as strace). */
	bool output_separately;
	/* -b execve: a process is let go at its execve (run's command's
	 * first excepted), as strace's. */
	bool detach_on_execve;
	/* -u USER (run): the command runs as USER: its groups, gid and uid;
	 * a setuid or setgid program gets its owner as effective id, as if
	 * it ran untraced (strace's rule). NULL: as ptrc. */
	const char *run_user;
	uid_t run_uid;
	gid_t run_gid;
	/* -E VAR=VAL / -E VAR (run): the command's environment set / unset,
	 * in the order given. */
	const char **env_changes;
	unsigned nenv_changes;
	bool follow_forks;        /* -f */
	unsigned string_limit;    /* -s, default 32 */
	/* The line prefix, in strace's order: [pid N<comm>], absolute
	 * time (digits after the second: 0, 3, 6 or 9), -r's time since
	 * the previous line, -n's [ NR], then the call. */
	enum timestamp_format timestamps;
	unsigned timestamp_digits;
	bool relative_timestamps;  /* -r */
	unsigned relative_digits;
	bool syscall_numbers;      /* -n */
	bool instruction_pointer;  /* -i: [00007f...] at each line */
	unsigned decode_pids;      /* -Y, --decode-pids=: enum decode_pid_bits */
	bool syscall_times;       /* -T */
	unsigned syscall_times_digits;  /* -T's precision: 0, 3, 6 (default), 9 */
	unsigned return_column;   /* -a: where " = " aligns (default 40) */
	enum escape_style escape;
	enum xlat_style xlat_style;  /* -X */

	/* -e trace=: per architecture (enum ptrc_arch), one bit per index
	 * in syscall_sigs (config_traces); NULL traces all. */
	uint8_t *trace_set;
	/* -e status=, -z, -Z: which outcomes print; 0 means all. */
	unsigned status_filter;
	/* -e signal=: bit N set when signal N is shown (all by default). */
	uint64_t signal_set;
	/* -e read=FD,... and -e write=FD,...: descriptors (< 1024) whose
	 * data is dumped in hex and ASCII. */
	uint8_t read_dump_fds[FD_SET_BYTES];
	uint8_t write_dump_fds[FD_SET_BYTES];
	bool dump_reads, dump_writes;
	/* -e inject=, -e fault=: the rules, and per architecture and syscall
	 * ([arch * syscall_sig_count + index in syscall_sigs]) the one that
	 * applies: 0 for none, else its index + 1
	 * (a later expression overrides an earlier one, as in strace).
	 * NULL without any. */
	struct inject_rule *inject_rules;
	unsigned ninject_rules;
	uint16_t *inject_of_sig;
	/* -q, -qq, -qqq, -e quiet=, --quiet: messages not printed
	 * (enum quiet_bits); QUIET_SET_BY_EXPRESSION: -e quiet= or --quiet
	 * was given, which -q may not be beside. */
	unsigned quiet;
	/* -P PATH (repeatable): only syscalls that touch one of these. */
	const char **paths;
	unsigned npaths;
	/* --peer LIST: only the lines of sessions whose remote end is in
	 * one of these networks (names resolved at start); none: all. */
	struct peer_net *peers;
	unsigned npeers;
	/* --transcript DIR (absolute): a file per TCP or UNIX stream
	 * connection, its dialogue; NULL: none. */
	char *transcript_dir;
	/* --pcap FILE: the TCP connections as a capture file; NULL: none. */
	const char *pcap_path;
	/* --decode-fds=SET (enum decode_fd_bits): what follows a descriptor;
	 * -y is path, -yy all. */
	unsigned decode_fds;
	/* -v: structures and arrays in full. */
	bool verbose;
	/* -e abbrev=SET: only these syscalls abbreviated (NULL: all, or none
	 * with -v); -e raw=SET: these printed raw, arguments and return value
	 * in hex (NULL: none). Per architecture, as trace_set. */
	uint8_t *abbrev_set;
	uint8_t *raw_set;
	/* -e verbose=SET: structures and arrays read for these syscalls only,
	 * the others' printed as addresses (NULL: all, strace's default). */
	uint8_t *verbose_set;
	/* -c (summary only) / -C (trace and summary), -S, -w. */
	enum { SUMMARY_NONE, SUMMARY_ONLY, SUMMARY_TOO } summary;
	/* -S: the column the table is sorted by (SUMMARY_COL_NONE: none,
	 * strace's "nothing"); -U: the columns shown, in order, ended by
	 * SUMMARY_COL_NONE (all NONE: strace's default set). */
	enum summary_column summary_sort;
	enum summary_column summary_columns[SUMMARY_COL_COUNT];
	bool summary_wall;
	/* --no-seccomp: stop at every syscall even with -e trace= in run. */
	bool no_seccomp;
	/* --json: JSON Lines instead of text. */
	bool json;

	/* Stacks. --crash: resume with PTRACE_CONT (no syscall
	 * stops) and write a crash report when a signal is about to kill a
	 * tracee; --on-crash=hold leaves the crashed process stopped instead
	 * of re-delivering the signal. */
	bool crash;
	enum { ON_CRASH_DELIVER, ON_CRASH_HOLD } on_crash;
	/* --crash-env: the report shows the environment (may hold secrets). */
	bool crash_env;
	/* --crash-signals=faults (the default): no report for a signal that
	 * dumps no core and that another process sent (master's SIGTERM at
	 * `postfix stop`), a line instead; =all: a report for every signal
	 * that kills. */
	enum { CRASH_SIGNALS_UNSET, CRASH_SIGNALS_FAULTS, CRASH_SIGNALS_ALL }
		crash_signals;  /* UNSET: faults */
	/* --unwinder=libdw|libunwind: an enum stack_backend. */
	int unwinder;
	/* ptrc stack --values: each frame's arguments from DWARF; --locals
	 * also its local variables (implies --values). */
	bool stack_values, stack_locals;
	/* ptrc stack --core=FILE [--exe=PATH]: the stacks of a core file
	 * (NULL: of live PIDs), EXE its executable instead of the one the
	 * core names (NULL: the core's). */
	const char *core_path;
	const char *core_exe;
	/* -k: the stack of each syscall after its line (trace mode). */
	bool syscall_stacks;

	/* Daemon workflows. --background: attach, then the
	 * foreground exits and a background ptrc traces on. */
	bool background;
	/* attach --tree: every process below each PID too. */
	bool attach_tree;
	/* --syslog[=FACILITY.PRIORITY]: lines become syslog messages with
	 * this PRI (default mail.info), sent to syslog_socket (NULL:
	 * /dev/log); --postlog[=SOCKET]: in Postfix's postlog record format
	 * (NULL socket: $POSTLOG_SERVICE). */
	bool syslog;
	int syslog_priority;
	const char *syslog_socket;
	bool syslog_postlog;

	/* Library calls. -l PATTERN[,PATTERN...] (repeatable,
	 * joined with commas): hook these functions; -L MODULE (repeatable):
	 * only calls made from these modules; -e dump: hex and ASCII of the
	 * data buffers of calls that have them (SSL_read, SSL_write...).
	 * Syscalls are traced beside the calls only when -e trace= asks. */
	char *lcall_spec;
	const char **lcall_callers;
	unsigned nlcall_callers;
	bool lcall_dump;
	bool lcall_syscalls;
};

/* One --peer entry: an address and the length of its network prefix
 * (32 or 128 for a host). */
struct peer_net {
	int family;              /* AF_INET or AF_INET6 */
	unsigned char addr[16];  /* network order, host bits zero */
	unsigned prefix;
};

enum status_filter_bits {
	STATUS_SUCCESSFUL = 1 << 0,
	STATUS_FAILED = 1 << 1,
	STATUS_UNFINISHED = 1 << 2,
	STATUS_UNAVAILABLE = 1 << 3,
	STATUS_DETACHED = 1 << 4,
};

enum quiet_bits {
	QUIET_ATTACH = 1 << 0,         /* ("Process N attached": ptrc has none) */
	QUIET_EXIT = 1 << 1,           /* "+++ exited with N +++" */
	QUIET_PATH_RESOLVE = 1 << 2,   /* (-P's "resolved into": ptrc has none) */
	QUIET_PERSONALITY = 1 << 3,    /* "[ Process PID=N runs in 32 bit mode. ]" */
	QUIET_THREAD_EXECVE = 1 << 4,  /* "+++ superseded by execve in pid N +++" */
	QUIET_SET_BY_EXPRESSION = 1 << 31,
};

/* --decode-fds=SET, strace 6.1's: each kind of descriptor that is
 * printed by its details rather than by its path ("path" alone is -y). */
enum decode_fd_bits {
	DECODE_FD_PATH = 1 << 0,    /* "3</etc/hosts>" */
	DECODE_FD_SOCKET = 1 << 1,  /* "5<TCP:[127.0.0.1:25->127.0.0.1:4031]>" */
	DECODE_FD_DEV = 1 << 2,     /* "0</dev/null<char 1:3>>" */
	DECODE_FD_PIDFD = 1 << 3,   /* "6<pid:1234>" */
	DECODE_FD_ALL = 0xf,        /* -yy */
	DECODE_FD_SET_BY_OPTION = 1 << 30,  /* while parsing: --decode-fds */
};

static inline bool fd_in_set(const uint8_t set[FD_SET_BYTES], long fd)
{
	if (fd >= FD_SET_NAMED)
		return set[FD_SET_NAMED / 8] != 0;
	return fd >= 0 && (set[fd / 8] >> (fd % 8)) & 1;
}

static inline bool config_shows_signal(const struct ptrc_config *config,
				       int sig)
{
	return sig < 1 || sig > 64 || (config->signal_set >> (sig - 1)) & 1;
}

/* Does an -e inject= rule deliver a signal? (Not from a seccomp stop: the
 * kernel drops a signal given when resuming one.) */
static inline bool config_injects_signals(const struct ptrc_config *config)
{
	for (unsigned i = 0; i < config->ninject_rules; i++)
		if (config->inject_rules[i].signal)
			return true;
	return false;
}

/* Is syscall SIG_INDEX (in syscall_sigs) of architecture ARCH in SET (a
 * syscall set per architecture: -e trace=, abbrev=, raw=)? */
static inline bool config_set_has(const uint8_t *set, enum ptrc_arch arch,
				  unsigned sig_index)
{
	size_t stride = (syscall_sig_count + 7) / 8;
	if (arch >= PTRC_ARCH_COUNT)
		arch = arch_host();
	return (set[arch * stride + sig_index / 8] >> (sig_index % 8)) & 1;
}

/* Is syscall SIG_INDEX (in syscall_sigs) of architecture ARCH traced? */
static inline bool config_traces(const struct ptrc_config *config,
				 enum ptrc_arch arch, unsigned sig_index)
{
	return !config->trace_set ||
	       config_set_has(config->trace_set, arch, sig_index);
}

#endif
