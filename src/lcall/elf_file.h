/* A file mapped in a process, opened as ELF (elf_file.c): for the load
 * bias of a module (modules.c) and its symbols (symbols.c). */
#ifndef PTRC_LCALL_ELF_FILE_H
#define PTRC_LCALL_ELF_FILE_H

#include <gelf.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct lcall_elf {
	int fd;
	Elf *elf;
	uint64_t size;  /* of the file: bounds every section read */
};

/* The file mapped at [START, END) in PID: through map_files (works for
 * deleted files and other mount namespaces), else through the process's
 * root, else PATH as we see it. Returns -1 when it cannot be opened or is
 * not ELF. */
int lcall_elf_open(pid_t pid, const char *path, uint64_t start,
		   uint64_t end, struct lcall_elf *ef);
void lcall_elf_close(struct lcall_elf *ef);

/* One defined symbol as lcall_elf_walk_symbols reports it: NAME is LEN
 * bytes, the symbol's name up to any "@VERSION"; HIDDEN: a non-default
 * version. */
typedef void (*lcall_sym_visit)(void *ctx, const GElf_Sym *sym,
				const char *name, size_t len, bool hidden);

/* Calls FN for each defined symbol of the .dynsym and .symtab sections.
 * Returns -1 when the section headers cannot be read. */
int lcall_elf_walk_symbols(const struct lcall_elf *ef, lcall_sym_visit fn,
			   void *ctx);

#endif
