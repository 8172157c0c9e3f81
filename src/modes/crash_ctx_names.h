/* Names of user and group ids from ptrc's own /etc/passwd and /etc/group,
 * read as files: no NSS module (LDAP...) is asked while the tracee is
 * held. */
#ifndef PTRC_MODES_CRASH_CTX_NAMES_H
#define PTRC_MODES_CRASH_CTX_NAMES_H

#include <stddef.h>

#include "crash_context.h"

/* Sets the name of each of the N ids (IDS[i]->name NULL) that FILE ("name:
 * x:id:..." lines) names; the first line of an id wins, as getpwuid's. */
void ctx_name_ids(const char *file, struct ctx_id *const *ids, size_t n);

#endif
