/* --peer LIST (peer_list.c): Postfix's debug_peer_list for the trace. */
#ifndef PTRC_CLI_PEER_LIST_H
#define PTRC_CLI_PEER_LIST_H

#include "option_table.h"

option_handler opt_peer;

/* Once all options are read: --peer and --transcript follow every
 * accept, connect, read, write and close, so no seccomp filter may hide
 * them, and with -l alone the syscalls stop (none printed) for them. */
enum parse_result peer_list_finish(struct ptrc_config *config);

#endif
