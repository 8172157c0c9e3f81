/* The handlers of the crash, stack, core and daemon options
 * (option_daemon.c), for option_table.c's table. */
#ifndef PTRC_CLI_OPTION_DAEMON_H
#define PTRC_CLI_OPTION_DAEMON_H

#include "option_table.h"

option_handler opt_crash, opt_on_crash, opt_crash_env, opt_crash_signals,
	opt_unwinder,
	opt_tree, opt_values, opt_core, opt_exe, opt_background, opt_syslog,
	opt_syslog_socket, opt_postlog;

#endif
