/* Which files libdwfl reads for a live process's modules (dwfl_files.c). */
#ifndef PTRC_STACK_DWFL_FILES_H
#define PTRC_STACK_DWFL_FILES_H

#include <elfutils/libdwfl.h>
#include <sys/types.h>

/* The callbacks for a Dwfl of a live process: they outlive every Dwfl.
 * The debuginfo path is read (once) before they are returned. */
const Dwfl_Callbacks *stack_dwfl_proc_callbacks(void);
/* The callbacks for a Dwfl of a core file (same lifetime). */
const Dwfl_Callbacks *stack_dwfl_core_callbacks(void);
/* The process whose Dwfl is used next: before each use. */
void stack_dwfl_files_for(pid_t pid);

#endif
