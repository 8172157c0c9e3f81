#include "tracee_table.h"

#include <stdio.h>
#include <stdlib.h>

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n, size);
	if (!p) {
		fputs("ptrc: out of memory\n", stderr);
		abort();
	}
	return p;
}

static unsigned bucket_of(const struct tracee_table *table, pid_t tid)
{
	return ((unsigned)tid * 2654435761u) & (table->nbuckets - 1);
}

void table_init(struct tracee_table *table)
{
	table->nbuckets = 64;
	table->buckets = xcalloc(table->nbuckets, sizeof *table->buckets);
	table->count = 0;
}

void table_free(struct tracee_table *table)
{
	for (unsigned i = 0; i < table->nbuckets; i++) {
		struct tracee *t = table->buckets[i];
		while (t) {
			struct tracee *next = t->hash_next;
			free(t);
			t = next;
		}
	}
	free(table->buckets);
	table->buckets = NULL;
	table->count = 0;
}

struct tracee *table_find(const struct tracee_table *table, pid_t tid)
{
	for (struct tracee *t = table->buckets[bucket_of(table, tid)]; t;
	     t = t->hash_next)
		if (t->tid == tid)
			return t;
	return NULL;
}

static void link_tracee(struct tracee_table *table, struct tracee *t)
{
	unsigned b = bucket_of(table, t->tid);
	t->hash_next = table->buckets[b];
	table->buckets[b] = t;
}

static void grow(struct tracee_table *table)
{
	struct tracee **old = table->buckets;
	unsigned old_n = table->nbuckets;
	table->nbuckets *= 2;
	table->buckets = xcalloc(table->nbuckets, sizeof *table->buckets);
	for (unsigned i = 0; i < old_n; i++) {
		struct tracee *t = old[i];
		while (t) {
			struct tracee *next = t->hash_next;
			link_tracee(table, t);
			t = next;
		}
	}
	free(old);
}

struct tracee *table_add(struct tracee_table *table, pid_t tid, pid_t tgid)
{
	if (table->count + 1 > table->nbuckets)
		grow(table);
	struct tracee *t = xcalloc(1, sizeof *t);
	t->tid = tid;
	t->tgid = tgid;
	t->arch = PTRC_ARCH_UNKNOWN;
	link_tracee(table, t);
	table->count++;
	return t;
}

void table_unlink(struct tracee_table *table, struct tracee *t)
{
	struct tracee **link = &table->buckets[bucket_of(table, t->tid)];
	while (*link && *link != t)
		link = &(*link)->hash_next;
	if (*link) {
		*link = t->hash_next;
		table->count--;
	}
	t->hash_next = NULL;
}

void table_rekey(struct tracee_table *table, struct tracee *t, pid_t tid)
{
	table_unlink(table, t);
	t->tid = tid;
	link_tracee(table, t);
	table->count++;
}

void table_for_each(struct tracee_table *table,
		    void (*fn)(struct tracee *t, void *arg), void *arg)
{
	for (unsigned i = 0; i < table->nbuckets; i++)
		for (struct tracee *t = table->buckets[i]; t; t = t->hash_next)
			fn(t, arg);
}

struct tracee *table_any(const struct tracee_table *table)
{
	for (unsigned i = 0; i < table->nbuckets; i++)
		if (table->buckets[i])
			return table->buckets[i];
	return NULL;
}
