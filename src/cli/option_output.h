/* The handlers of the options that shape the output and its line
 * prefixes (option_output.c), for option_table.c's table. */
#ifndef PTRC_CLI_OPTION_OUTPUT_H
#define PTRC_CLI_OPTION_OUTPUT_H

#include "option_table.h"

option_handler opt_output, opt_append, opt_follow, opt_follow_forks,
	opt_output_separately, opt_timestamps, opt_absolute_timestamps,
	opt_relative_timestamps, opt_syscall_times, opt_columns,
	opt_syscall_number, opt_instruction_pointer, opt_decode_pids_comm, opt_decode_pids;

/* After every option: -t/-tt/-ttt, -f/-ff and their long forms. */
enum parse_result option_output_settle(struct option_parse *p);

#endif
