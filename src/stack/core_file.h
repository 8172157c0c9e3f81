/* A core file, checked before libdwfl reads it (core_file.c): a core is
 * hostile input (truncated by RLIMIT_CORE or a full disk, or any bytes at
 * all), so its ELF header, program headers and notes are bounded against
 * the file's size first, and what ptrc itself reads of it goes through
 * libelf's bounded accessors. */
#ifndef PTRC_STACK_CORE_FILE_H
#define PTRC_STACK_CORE_FILE_H

#include <gelf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "raw_stack.h"

struct core_file {
	int fd;
	Elf *elf;
	uint64_t size;               /* of the file, in bytes */
	unsigned word;               /* the dumped process's word: 4 or 8 */
	/* Where a return address may be: the PT_LOAD segments with PF_X,
	 * and the code of the modules found (core_file_add_exec). */
	struct exec_maps exec;
	size_t exec_cap;
	/* The NT_FILE note: the mapped files, as /proc/PID/maps had them
	 * (paths are the core's bytes, NUL-terminated, inside the mmap'd
	 * note; "PATH (deleted)" as the kernel wrote it). */
	struct core_mapped_file { uint64_t start, end, offset;
		const char *path; } *files;
	size_t nfiles;
	/* Other notes ptrc reads (core_notes.c), as found: a pointer into
	 * libelf's copy and the size; NULL when absent. The first
	 * NT_PRSTATUS is the thread that dumped (the kernel writes it
	 * first); SIGNALLED the first whose pr_cursig is not 0. */
	struct core_note { const unsigned char *desc; size_t size; }
		prstatus_first, prstatus_signalled, siginfo, prpsinfo, auxv;
};

/* Opens and checks PATH. 0, or -1 with a malloc'd one-line message in
 * *ERROR (cannot open, not ELF, not a core, truncated, corrupt). */
int core_file_open(struct core_file *c, const char *path, char **error);
void core_file_close(struct core_file *c);

/* The path of the file mapped at START from its offset 0 (a module's
 * start), or NULL. */
const char *core_file_mapped_at(const struct core_file *c, uint64_t start);

/* A word of the dumped process's size at P (bounds checked by the
 * caller). */
uint64_t core_file_word(const struct core_file *c, const unsigned char *p);

/* Adds [LO, HI) to the executable ranges; false when out of memory. */
bool core_file_add_exec(struct core_file *c, uint64_t lo, uint64_t hi,
		bool vdso);

/* Reads SIZE bytes of the dumped process's memory at ADDR from the core's
 * PT_LOAD segments; false when not all of them were dumped. */
bool core_file_read(const struct core_file *c, uint64_t addr, void *buf,
		size_t size);

#endif
