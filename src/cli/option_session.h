/* Options of SMTP sessions (option_session.c): --transcript, --pcap. */
#ifndef PTRC_CLI_OPTION_SESSION_H
#define PTRC_CLI_OPTION_SESSION_H

#include "option_table.h"

option_handler opt_transcript, opt_pcap;

#endif
