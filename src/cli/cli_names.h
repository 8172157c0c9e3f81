/* Words the -e expressions take: signal and errno names as strace accepts
 * them, and the one error message for a word not understood. */
#ifndef PTRC_CLI_NAMES_H
#define PTRC_CLI_NAMES_H

/* A signal by name, with or without "SIG", in any case ("usr1",
 * "SIGusr1", "rtmin", "SIGRT_3"): 1..64; or by number ("10"): 0..255 as
 * strace reads them. -1 otherwise. */
int cli_signal_number(const char *word);
/* An errno by name in any case ("enospc") or by number (1..4095).
 * Returns it, or -1. */
int cli_errno_number(const char *word);
/* "ptrc: invalid WHAT 'ITEM' (see ptrc --help)" on stderr; returns -1. */
int cli_invalid(const char *what, const char *item);

#endif
