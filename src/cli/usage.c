/* What ptrc says about its command line: the help text, the version, and
 * the one-line usage error. */
#include "usage.h"

#include <stdio.h>

static const char usage_text[] =
"usage: ptrc run [options] [--] COMMAND [ARGS...]\n"
"       ptrc attach [options] PID [PID...]\n"
"       ptrc stack [--json] [--unwinder=U] [-o FILE] PID [PID...]\n"
"       ptrc --help | --version\n"
"\n"
"  run      start COMMAND under trace; ptrc exits with its exit status\n"
"           (128+N when it is killed by signal N)\n"
"  attach   trace running processes, every thread; Ctrl-C, SIGTERM or\n"
"           SIGHUP detach and leave them running\n"
"  stack    print every thread's stack of running processes, then detach;\n"
"           exit 0 when every stack was walked whole, 1 partly, 2 not at all\n"
"\n"
"options:\n"
"  -o FILE          write the trace to FILE (created 0600, symlinks refused)\n"
"  -f               follow fork, vfork and clone into new processes\n"
"  -b execve        let a process go at its execve (run's command's first kept)\n"
"  -u USER          run: the command runs as USER (a setuid/setgid program\n"
"                   with its owner as effective id, as untraced)\n"
"  -E VAR=VAL, -E VAR  run: set or unset VAR in the command's environment\n"
"  -s N             print at most N bytes of each string (default 32)\n"
"  -tt              prefix each line with the wall clock time, in microseconds\n"
"  -T               show the time spent in each syscall\n"
"  -x, -xx          print non-ASCII strings (-xx: all strings) in hex\n"
"  -X raw|abbrev|verbose  named constants as numbers, names (default)\n"
"                   or both: 0x2 /* O_RDWR */\n"
"  -e trace=SET     trace only these syscalls: names, numbers, classes (%file,\n"
"                   %network, %process, %signal, %ipc, %desc, %memory, %creds,\n"
"                   %stat, %lstat, %fstat, %%stat, %statfs, %fstatfs, %%statfs,\n"
"                   %clock, %pure), /regex; ?NAME: no error when unknown;\n"
"                   NAME@64, @32, @x32: that personality only; !SET negates\n"
"  -e status=SET    successful, failed, unfinished, unavailable, detached\n"
"  -z, -Z           only successful (-z) or failed (-Z) syscalls\n"
"  -e signal=SET    show only these signals (names or numbers; !SET negates)\n"
"  -e inject=SET:error=E|retval=N|signal=S|delay_enter=T|delay_exit=T\n"
"                   [:when=F[..L][+[S]]][:syscall=NAME]  change calls of SET\n"
"                   (strace's syntax; the line ends in (INJECTED), (DELAYED))\n"
"  -e fault=SET[:error=E][:when=...]  fail calls of SET (default ENOSYS)\n"
"  -q, -qq, -qqq    leave out notes (-qq: +++ exited lines too; -qqq: all)\n"
"  -e quiet=SET, --quiet[=SET]  attach, exit, path-resolution, personality,\n"
"                   thread-execve (superseded); all, none\n"
"  -e raw=SET       print these syscalls' arguments and return value in hex\n"
"  -e abbrev=SET    abbreviate structures of these syscalls only (-v: none)\n"
"  -e read=FDS      full hex and ASCII dump of data read from these descriptors\n"
"  -e write=FDS     the same for data written\n"
"  -P PATH          only syscalls that touch PATH (repeatable)\n"
"  -y, -yy          print paths behind descriptors (-yy: socket endpoints too)\n"
"  -v               print structures and arrays in full\n"
"  -c, -C           a summary table instead of (-c) or after (-C) the trace\n"
"  -S SORT          sort the summary by time, min-time, max-time, avg-time,\n"
"                   calls, errors, name or nothing\n"
"  -U COLUMNS       the summary's columns: time-percent, total-time, min-time,\n"
"                   max-time, avg-time, calls, errors, name\n"
"  -w               summarise wall-clock latency instead of system time\n"
"  --json           JSON Lines: one object per event\n"
"  --no-seccomp     run -e trace=: stop at every syscall rather than filter\n"
"                   the untraced ones out with seccomp-bpf\n"
"  --crash          no syscall trace: wait for a signal that kills the process,\n"
"                   then write a crash report (every thread's stack) and let\n"
"                   the signal kill it as it would have (core dump, status)\n"
"  --on-crash=hold  with --crash: leave the crashed process stopped for gdb -p\n"
"                   instead (the report says how to let it die)\n"
"  --unwinder=U     libdw (default) or libunwind\n"
"  -k               print the stack after each syscall\n"
"  -l PATTERNS      trace library calls instead of syscalls (both with\n"
"                   -e trace=): FUNC or MODULE:FUNC globs, comma separated,\n"
"                   e.g. -l 'SSL_read,SSL_write' or -l 'libresolv.so.*:*'\n"
"  -L MODULE        only library calls made from MODULE (a file name glob)\n"
"  -e dump          with -l: hex and ASCII of the data of SSL_read, SSL_write...\n"
"  --background     attach: return once every thread is attached and trace on\n"
"                   in a background ptrc (for Postfix's debugger_command);\n"
"                   needs -o or --syslog\n"
"  --syslog[=FACILITY.PRIORITY]  each line as a syslog message (default\n"
"                   mail.info) to /dev/log\n"
"  --syslog-socket=PATH  --syslog to this socket instead of /dev/log\n"
"  --postlog[=PATH] --syslog to Postfix's postlog socket, in its format\n"
"                   (default $POSTLOG_SERVICE, set by Postfix daemons)\n"
"  -o FILE          may hold %p (the PID) and %n (the process name)\n"
"  -h, --help       show this help\n"
"  -V, --version    show the version\n";

enum parse_result usage_error(const char *fmt, const char *arg)
{
	fputs("ptrc: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs(" (see ptrc --help)\n", stderr);
	return PARSE_USAGE_ERROR;
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
