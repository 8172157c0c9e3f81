/* What a core's notes say about its crash (core_notes.c): the layouts of
 * NT_PRSTATUS's header, NT_PRPSINFO and NT_AUXV for 32- and 64-bit
 * processes, read with every offset checked against the note's size. */
#ifndef PTRC_STACK_CORE_NOTES_H
#define PTRC_STACK_CORE_NOTES_H

#include "core_file.h"
#include "ptrc/stack.h"

/* Fills OUT (but OUT->written) from C's notes. */
void core_notes_facts(const struct core_file *c, struct stack_core_facts *out);

/* The core's memory at ADDR as "LO-HI PERMS OFFSET PATH" (its PT_LOAD and
 * NT_FILE), or the nearest below and above when none holds it; malloc'd
 * or NULL. */
void core_notes_mapping(const struct core_file *c, uint64_t addr, char **at,
		char **below, char **above);

#endif
