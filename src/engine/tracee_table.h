/* The engine's tracees, by tid: a chained hash table that grows. */
#ifndef PTRC_TRACEE_TABLE_H
#define PTRC_TRACEE_TABLE_H

#include "ptrc/engine.h"

struct tracee_table {
	struct tracee **buckets;
	unsigned nbuckets;  /* a power of two */
	unsigned count;
};

void table_init(struct tracee_table *table);
void table_free(struct tracee_table *table);
struct tracee *table_find(const struct tracee_table *table, pid_t tid);
/* A new zeroed tracee for TID (which must not be in the table). */
struct tracee *table_add(struct tracee_table *table, pid_t tid, pid_t tgid);
/* Unlink T; the caller frees it with free(). */
void table_unlink(struct tracee_table *table, struct tracee *t);
/* Give T a new tid (a thread that exec'd takes the leader's). */
void table_rekey(struct tracee_table *table, struct tracee *t, pid_t tid);
/* Calls FN for every tracee; FN may not add or remove tracees. */
void table_for_each(struct tracee_table *table,
		    void (*fn)(struct tracee *t, void *arg), void *arg);
/* Any one tracee, or NULL when empty. */
struct tracee *table_any(const struct tracee_table *table);

#endif
