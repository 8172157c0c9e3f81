/* What ptrc says about its command line: the help text, the version, and
 * the one-line usage error. */
#include "usage.h"

#include <stdio.h>

static const char usage_text[] =
"usage: ptrc run [options] [--] COMMAND [ARGS...]\n"
"       ptrc attach [options] PID [PID...]\n"
"       ptrc stack [-o FILE] [-A] [--json] [--unwinder=U] [-p PID] [PID...]\n"
"       ptrc stack [-o FILE] [-A] [--json] --core=FILE [--exe=PATH]\n"
"       ptrc --help | --version\n"
"\n"
"  run      start COMMAND under trace; ptrc exits with its exit status\n"
"           (128+N when it is killed by signal N)\n"
"  attach   trace running processes, every thread; Ctrl-C, SIGTERM or\n"
"           SIGHUP detach and leave them running\n"
"  stack    print every thread's stack of running processes (or of a\n"
"           core file, --core), then detach;\n"
"           exit 0 when every stack was walked whole, 1 partly, 2 not at all\n"
"\n"
"Long options are strace's; an option of strace's that ptrc does not\n"
"implement is refused with exit status 69.\n"
"\n"
"output:\n"
"  -o FILE, --output=FILE  write the trace to FILE (created 0600, symlinks\n"
"                   refused); FILE may hold %p (the PID) and %n (the process\n"
"                   name); '|CMD' or '!CMD' pipes the trace to sh -c CMD\n"
"  -A, --output-append-mode  append to FILE instead of replacing it\n"
"  -ff, --output-separately  with -o FILE (and -f): one file per thread,\n"
"                   FILE.TID, without [pid N] prefixes; without -o, -ff is -f\n"
"  -t, -tt, -ttt    prefix each line with the time of day (-tt: with\n"
"                   microseconds; -ttt: seconds since the epoch, microseconds)\n"
"  --absolute-timestamps[=[format:]none|time|unix][,[precision:]s|ms|us|ns]\n"
"                   the same, any format and precision (default time, s);\n"
"                   --timestamps is the same option\n"
"  -r, --relative-timestamps[=s|ms|us|ns]  prefix each line with the time\n"
"                   since the previous line's start (default us)\n"
"  -T, --syscall-times[=s|ms|us|ns]  show the time spent in each syscall\n"
"  -n, --syscall-number  prefix each line with the syscall's number\n"
"  -i, --instruction-pointer  prefix each line with the thread's program\n"
"                   counter: [00007f...]\n"
"  -Y, --decode-pids=comm  [pid N<comm>]: the thread's command name\n"
"  -a N, --columns=N  align return values at column N (default 40)\n"
"  -s N, --string-limit=N  print at most N bytes of each string (default 32)\n"
"  -x, -xx, --strings-in-hex[=none|non-ascii|all]  print non-ASCII strings\n"
"                   (-xx: all strings) in hex\n"
"  -X raw|abbrev|verbose, --const-print-style=  named constants as numbers,\n"
"                   names (default) or both: 0x2 /* O_RDWR */\n"
"  -y, -yy, --decode-fds[=path|all]  print paths behind descriptors (-yy:\n"
"                   socket endpoints too)\n"
"  -v, --no-abbrev  print structures and arrays in full\n"
"  -q, -qq, -qqq    leave out notes (-qq: +++ exited lines too; -qqq: all)\n"
"  -e quiet=SET, --quiet[=SET]  attach, exit, path-resolution, personality,\n"
"                   thread-execve (superseded); all, none (--silent,\n"
"                   --silence: the same)\n"
"  --json           JSON Lines: one object per event\n"
"\n"
"what is traced:\n"
"  -f, --follow-forks  follow fork, vfork and clone into new processes\n"
"  -p PID, --attach=PID  attach, stack: more PIDs (commas or blanks\n"
"                   between them)\n"
"  -e trace=SET, --trace=SET  trace only these syscalls: names, numbers,\n"
"                   classes (%file, %network, %process, %signal, %ipc, %desc,\n"
"                   %memory, %creds, %stat, %lstat, %fstat, %%stat, %statfs,\n"
"                   %fstatfs, %%statfs, %clock, %pure), /regex; ?NAME: no\n"
"                   error when unknown; NAME@64, @32, @x32: that personality\n"
"                   only; !SET negates\n"
"  -e status=SET, --status=SET  successful, failed, unfinished,\n"
"                   unavailable, detached\n"
"  -z, --successful-only  only syscalls that succeeded\n"
"  -Z, --failed-only, --failing-only  only syscalls that failed\n"
"  -e signal=SET, --signals=SET  show only these signals (names or numbers;\n"
"                   !SET negates)\n"
"  -e read=FDS, --read=FDS  full hex and ASCII dump of data read from these\n"
"                   descriptors\n"
"  -e write=FDS, --write=FDS  the same for data written\n"
"  -e raw=SET, --raw=SET  print these syscalls' arguments and return value\n"
"                   in hex\n"
"  -e abbrev=SET, --abbrev=SET  abbreviate structures of these syscalls only\n"
"                   (-v: none)\n"
"  -e verbose=all, --verbose=all  the default (other sets: not implemented)\n"
"  -P PATH, --trace-path=PATH  only syscalls that touch PATH (repeatable)\n"
"  -b execve, --detach-on=execve  let a process go at its execve (run's\n"
"                   command's first kept)\n"
"  -u USER, --user=USER  run: the command runs as USER (a setuid/setgid\n"
"                   program with its owner as effective id, as untraced)\n"
"  -E VAR=VAL, -E VAR, --env=...  run: set or unset VAR in the command's\n"
"                   environment\n"
"  --seccomp-bpf    run -e trace=: stop only at the traced syscalls (the\n"
"                   default)\n"
"  --no-seccomp     run -e trace=: stop at every syscall rather than filter\n"
"                   the untraced ones out with seccomp-bpf\n"
"\n"
"tampering (strace's syntax):\n"
"  -e inject=SET:error=E|retval=N|signal=S|delay_enter=T|delay_exit=T\n"
"                   [:when=F[..L][+[S]]][:syscall=NAME]  change calls of SET\n"
"                   (the line ends in (INJECTED), (DELAYED)); --inject=...\n"
"  -e fault=SET[:error=E][:when=...], --fault=...  fail calls of SET\n"
"                   (default ENOSYS)\n"
"\n"
"summary:\n"
"  -c, --summary-only  a summary table instead of the trace\n"
"  -C, --summary    a summary table after the trace\n"
"  -S SORT, --summary-sort-by=SORT  sort the summary by time, min-time,\n"
"                   max-time, avg-time, calls, errors, name or nothing\n"
"  -U COLUMNS, --summary-columns=COLUMNS  the summary's columns:\n"
"                   time-percent, total-time, min-time, max-time, avg-time,\n"
"                   calls, errors, name\n"
"  -w, --summary-wall-clock  summarise wall-clock latency instead of\n"
"                   system time\n"
"\n"
"stacks and crashes:\n"
"  -k, --stack-traces  print the stack after each syscall\n"
"  --crash          no syscall trace: wait for a signal that kills the process,\n"
"                   then write a crash report (every thread's stack) and let\n"
"                   the signal kill it as it would have (core dump, status);\n"
"                   the syscall trace's options are refused with it\n"
"  --on-crash=deliver|hold  with --crash: let the signal kill the process\n"
"                   (deliver, the default), or leave the crashed process\n"
"                   stopped for gdb -p (hold; the report says how to let it\n"
"                   die)\n"
"  --unwinder=U     libdw (default) or libunwind\n"
"  --core=FILE      ptrc stack: the stacks of a core file instead of PIDs\n"
"                   (exit 76 when it is not a core, truncated or corrupt)\n"
"  --exe=PATH       with --core: the executable, when the path the core\n"
"                   names cannot be trusted\n"
"\n"
"library calls:\n"
"  -l PATTERNS      trace library calls instead of syscalls (both with\n"
"                   -e trace=): FUNC or MODULE:FUNC globs, comma separated,\n"
"                   e.g. -l 'SSL_read,SSL_write' or -l 'libresolv.so.*:*'\n"
"  -L MODULE        only library calls made from MODULE (a file name glob)\n"
"  -e dump          with -l: hex and ASCII of the data of SSL_read, SSL_write...\n"
"\n"
"daemons:\n"
"  --background     attach: return once every thread is attached and trace on\n"
"                   in a background ptrc (for Postfix's debugger_command);\n"
"                   needs -o or --syslog\n"
"  --syslog[=FACILITY.PRIORITY]  each line as a syslog message (default\n"
"                   mail.info) to /dev/log\n"
"  --syslog-socket=PATH  --syslog to this socket instead of /dev/log\n"
"  --postlog[=PATH] --syslog to Postfix's postlog socket, in its format\n"
"                   (default $POSTLOG_SERVICE, set by Postfix daemons)\n"
"\n"
"  -h, --help       show this help\n"
"  -V, --version    show the version\n";

enum parse_result usage_error(const char *fmt, const char *arg)
{
	fputs("ptrc: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs(" (see ptrc --help)\n", stderr);
	return PARSE_USAGE_ERROR;
}

enum parse_result usage_not_implemented(const char *fmt, const char *arg)
{
	fputs("ptrc: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs(" is not implemented in ptrc\n", stderr);
	return PARSE_NOT_IMPLEMENTED;
}

enum parse_result usage_print_help(void)
{
	fputs(usage_text, stdout);
	return PARSE_EXIT_OK;
}

enum parse_result usage_print_version(void)
{
	printf("ptrc %s\n", PTRC_VERSION);
	return PARSE_EXIT_OK;
}
