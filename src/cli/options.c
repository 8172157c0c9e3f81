#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "filters.h"
#include "ptrc/lcall.h"
#include "ptrc/stack.h"
#include "ptrc/syscalls.h"
#include "ptrc/syslog_sink.h"

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
"  -s N             print at most N bytes of each string (default 32)\n"
"  -tt              prefix each line with the wall clock time, in microseconds\n"
"  -T               show the time spent in each syscall\n"
"  -x, -xx          print non-ASCII strings (-xx: all strings) in hex\n"
"  -X raw|abbrev|verbose  named constants as numbers, names (default)\n"
"                   or both: 0x2 /* O_RDWR */\n"
"  -e trace=SET     trace only these syscalls: names, classes (%file, %network,\n"
"                   %process, %signal, %ipc, %desc, %memory, %creds, %stat,\n"
"                   %clock), /regex; !SET negates\n"
"  -e status=SET    successful, failed, unfinished, unavailable, detached\n"
"  -z, -Z           only successful (-z) or failed (-Z) syscalls\n"
"  -e signal=SET    show only these signals (names or numbers; !SET negates)\n"
"  -e read=FDS      full hex and ASCII dump of data read from these descriptors\n"
"  -e write=FDS     the same for data written\n"
"  -P PATH          only syscalls that touch PATH (repeatable)\n"
"  -y, -yy          print paths behind descriptors (-yy: socket endpoints too)\n"
"  -v               print structures and arrays in full\n"
"  -c, -C           a summary table instead of (-c) or after (-C) the trace\n"
"  -S SORT          sort the summary by time, calls, errors, name or nothing\n"
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

static int usage_error(const char *fmt, const char *arg)
{
	fputs("ptrc: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs(" (see ptrc --help)\n", stderr);
	return PARSE_USAGE_ERROR;
}

static bool parse_uint(const char *text, unsigned long max, unsigned long *out)
{
	char *end;
	errno = 0;
	if (!*text || *text == '-')
		return false;
	unsigned long v = strtoul(text, &end, 10);
	if (errno || *end || v > max)
		return false;
	*out = v;
	return true;
}

enum { OPT_JSON = 1000, OPT_NO_SECCOMP };
enum { OPT_CRASH = 1100, OPT_ON_CRASH, OPT_UNWINDER };
enum { OPT_BACKGROUND = 1200, OPT_SYSLOG, OPT_SYSLOG_SOCKET, OPT_POSTLOG };

/* --syslog and the options that imply it. */
static void want_syslog(struct ptrc_config *config)
{
	if (!config->syslog) {
		config->syslog = true;
		config->syslog_priority = LOG_MAIL | LOG_INFO;
	}
}

static int add_path(struct ptrc_config *config, const char *path)
{
	const char **paths = realloc(config->paths,
				     (config->npaths + 1) * sizeof *paths);
	if (!paths)
		return usage_error("%s", "out of memory");
	paths[config->npaths++] = path;
	config->paths = paths;
	return PARSE_OK;
}

static int parse_sort(const char *key, struct ptrc_config *config)
{
	static const struct {
		const char *name;
		int sort;
	} keys[] = {
		{ "time", SORT_TIME }, { "calls", SORT_CALLS },
		{ "errors", SORT_ERRORS }, { "name", SORT_NAME },
		{ "nothing", SORT_NOTHING },
	};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (!strcmp(keys[i].name, key)) {
			config->summary_sort = keys[i].sort;
			return PARSE_OK;
		}
	return usage_error("invalid sort key '%s'", key);
}

static int parse_pids(int argc, char **argv, struct ptrc_config *config)
{
	if (argc <= 0)
		return usage_error("%s", "attach needs at least one PID");
	config->pids = calloc((size_t)argc, sizeof *config->pids);
	if (!config->pids)
		return usage_error("%s", "out of memory");
	for (int i = 0; i < argc; i++) {
		unsigned long pid;
		if (!parse_uint(argv[i], INT_MAX, &pid) || pid == 0)
			return usage_error("invalid PID '%s'", argv[i]);
		config->pids[config->npids++] = (pid_t)pid;
	}
	return PARSE_OK;
}

/* -l SPEC (repeatable): checked now, kept joined with commas. */
static enum parse_result add_lcall_patterns(struct ptrc_config *config,
					    const char *spec)
{
	struct lcall_patterns patterns = { NULL, 0 };
	char err[200];
	int r = lcall_patterns_parse(spec, &patterns, err, sizeof err);
	lcall_patterns_free(&patterns);
	if (r < 0) {
		char message[300];
		snprintf(message, sizeof message, "-l '%s': %s", spec, err);
		return usage_error("%s", message);
	}
	size_t old = config->lcall_spec ? strlen(config->lcall_spec) + 1 : 0;
	char *joined = realloc(config->lcall_spec, old + strlen(spec) + 1);
	if (!joined)
		return usage_error("%s", "out of memory");
	if (old)
		joined[old - 1] = ',';
	strcpy(joined + old, spec);
	config->lcall_spec = joined;
	return PARSE_OK;
}

static enum parse_result add_lcall_caller(struct ptrc_config *config,
					  const char *glob)
{
	if (!*glob)
		return usage_error("%s", "-L needs a module name or pattern");
	const char **grown = realloc(config->lcall_callers,
				     (config->nlcall_callers + 1) * sizeof *grown);
	if (!grown)
		return usage_error("%s", "out of memory");
	grown[config->nlcall_callers++] = glob;
	config->lcall_callers = grown;
	return PARSE_OK;
}

enum parse_result parse_options(int argc, char **argv,
				struct ptrc_config *config)
{
	memset(config, 0, sizeof *config);
	config->string_limit = 32;
	config->escape = ESCAPE_C;

	if (argc < 2)
		return usage_error("%s", "missing command: run or attach");
	const char *command = argv[1];
	if (!strcmp(command, "--help") || !strcmp(command, "-h")) {
		fputs(usage_text, stdout);
		return PARSE_EXIT_OK;
	}
	if (!strcmp(command, "--version") || !strcmp(command, "-V")) {
		printf("ptrc %s\n", PTRC_VERSION);
		return PARSE_EXIT_OK;
	}
	if (!strcmp(command, "run"))
		config->command = CMD_RUN;
	else if (!strcmp(command, "attach"))
		config->command = CMD_ATTACH;
	else if (!strcmp(command, "stack"))
		config->command = CMD_STACK;
	else
		return usage_error("unknown command '%s'", command);

	static const struct option long_options[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "no-seccomp", no_argument, NULL, OPT_NO_SECCOMP },
		{ "crash", no_argument, NULL, OPT_CRASH },
		{ "on-crash", required_argument, NULL, OPT_ON_CRASH },
		{ "unwinder", required_argument, NULL, OPT_UNWINDER },
		{ "background", no_argument, NULL, OPT_BACKGROUND },
		{ "syslog", optional_argument, NULL, OPT_SYSLOG },
		{ "syslog-socket", required_argument, NULL, OPT_SYSLOG_SOCKET },
		{ "postlog", optional_argument, NULL, OPT_POSTLOG },
		{ NULL, 0, NULL, 0 },
	};
	unsigned t_count = 0, x_count = 0;
	config->signal_set = ~0ull;
	argc--;
	argv++;
	optind = 0;  /* 0: glibc forgets any state of an earlier parse */
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, "+o:fs:tTxX:e:zZP:yvcCS:wkl:L:hV", long_options,
				NULL)) != -1) {
		unsigned long n;
		int r;
		switch (c) {
		case 'o':
			config->output_path = optarg;
			break;
		case 'f':
			config->follow_forks = true;
			break;
		case 's':
			if (!parse_uint(optarg, 1u << 30, &n))
				return usage_error("invalid string limit '%s'", optarg);
			config->string_limit = (unsigned)n;
			break;
		case 't':
			t_count++;
			break;
		case 'T':
			config->syscall_times = true;
			break;
		case 'x':
			x_count++;
			break;
		case 'X':
			if (!strcmp(optarg, "raw"))
				config->xlat_style = XLAT_STYLE_RAW;
			else if (!strcmp(optarg, "abbrev"))
				config->xlat_style = XLAT_STYLE_ABBREV;
			else if (!strcmp(optarg, "verbose"))
				config->xlat_style = XLAT_STYLE_VERBOSE;
			else
				return usage_error("invalid -X style '%s' "
						   "(raw, abbrev or verbose)", optarg);
			break;
		case 'e':
			if (parse_filter_expression(optarg, config) < 0)
				return PARSE_USAGE_ERROR;
			break;
		case 'z':
			config->status_filter = STATUS_SUCCESSFUL;
			break;
		case 'Z':
			config->status_filter = STATUS_FAILED;
			break;
		case 'P':
			r = add_path(config, optarg);
			if (r != PARSE_OK)
				return r;
			break;
		case 'y':
			config->decode_fds++;
			break;
		case 'v':
			config->verbose = true;
			break;
		case 'c':
			config->summary = SUMMARY_ONLY;
			break;
		case 'C':
			config->summary = SUMMARY_TOO;
			break;
		case 'S':
			r = parse_sort(optarg, config);
			if (r != PARSE_OK)
				return r;
			break;
		case 'w':
			config->summary_wall = true;
			break;
		case OPT_JSON:
			config->json = true;
			break;
		case OPT_NO_SECCOMP:
			config->no_seccomp = true;
			break;
		case OPT_CRASH:
			config->crash = true;
			break;
		case OPT_ON_CRASH:
			if (!strcmp(optarg, "hold"))
				config->on_crash = ON_CRASH_HOLD;
			else if (!strcmp(optarg, "deliver"))
				config->on_crash = ON_CRASH_DELIVER;
			else
				return usage_error("invalid --on-crash '%s' (hold or "
						   "deliver)", optarg);
			break;
		case OPT_UNWINDER:
			r = stack_backend_from_name(optarg);
			if (r < 0)
				return usage_error("invalid unwinder '%s' (libdw or "
						   "libunwind)", optarg);
			config->unwinder = r;
			break;
		case OPT_BACKGROUND:
			config->background = true;
			break;
		case OPT_SYSLOG:
			want_syslog(config);
			if (optarg && !syslog_parse_priority(optarg,
							     &config->syslog_priority))
				return usage_error("invalid syslog priority '%s' (for "
						   "example mail.info)", optarg);
			break;
		case OPT_SYSLOG_SOCKET:
		case OPT_POSTLOG:
			want_syslog(config);
			if (optarg && !*optarg)
				return usage_error("%s", "empty socket path");
			if (optarg)
				config->syslog_socket = optarg;
			if (c == OPT_POSTLOG)
				config->syslog_postlog = true;
			break;
		case 'k':
			config->syscall_stacks = true;
			break;
		case 'l':
			r = add_lcall_patterns(config, optarg);
			if (r != PARSE_OK)
				return r;
			break;
		case 'L':
			r = add_lcall_caller(config, optarg);
			if (r != PARSE_OK)
				return r;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return PARSE_EXIT_OK;
		case 'V':
			printf("ptrc %s\n", PTRC_VERSION);
			return PARSE_EXIT_OK;
		case ':':
			return usage_error("option '%s' needs an argument", argv[optind - 1]);
		default:
			return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (t_count == 1)
		return usage_error("%s", "-t is not supported; use -tt");
	if (t_count >= 2)
		config->timestamps = TS_WALL_US;
	config->escape = x_count >= 2 ? ESCAPE_HEX_ALL :
			 x_count == 1 ? ESCAPE_HEX_NONASCII : ESCAPE_C;

	if (config->background && config->command != CMD_ATTACH)
		return usage_error("%s", "--background is for attach");
	if (config->background && !config->output_path && !config->syslog)
		return usage_error("%s", "--background needs -o FILE or --syslog "
				   "(its stderr is /dev/null)");
	if (config->syslog && config->output_path)
		return usage_error("%s", "-o and --syslog both name the output; "
				   "choose one");
	if (config->crash && config->command == CMD_STACK)
		return usage_error("%s", "--crash is for run and attach");
	if (config->crash && config->syscall_stacks)
		return usage_error("%s", "-k traces syscalls; --crash does not");
	if (config->on_crash == ON_CRASH_HOLD && !config->crash)
		return usage_error("%s", "--on-crash=hold needs --crash");
	if (config->lcall_spec && (config->crash || config->command == CMD_STACK))
		return usage_error("%s", "-l traces library calls: for run and "
				   "attach, without --crash");
	if (!config->lcall_spec && (config->nlcall_callers || config->lcall_dump))
		return usage_error("%s", config->lcall_dump ?
				   "-e dump needs -l (SSL_read,SSL_write...)" :
				   "-L needs -l");
	if (config->lcall_spec && (config->summary || config->syscall_stacks))
		return usage_error("%s", "-c, -C and -k are for syscalls, not -l");

	argc -= optind;
	argv += optind;
	if (config->command == CMD_RUN) {
		if (argc <= 0)
			return usage_error("%s", "run needs a COMMAND");
		config->argv = argv;
		return PARSE_OK;
	}
	return parse_pids(argc, argv, config);
}

void config_free(struct ptrc_config *config)
{
	free(config->lcall_spec);
	free(config->lcall_callers);
	config->lcall_spec = NULL;
	config->lcall_callers = NULL;
	free(config->pids);
	free(config->trace_set);
	free(config->paths);
	config->paths = NULL;
	config->pids = NULL;
	config->trace_set = NULL;
}
