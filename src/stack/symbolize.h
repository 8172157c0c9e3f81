/* From pcs to frames: names, source positions and inlined calls, read
 * through the session's Dwfl. */
#ifndef PTRC_STACK_SYMBOLIZE_H
#define PTRC_STACK_SYMBOLIZE_H

#include <stdbool.h>
#include <stdint.h>

#include <elfutils/libdwfl.h>

#include "pc_cache.h"
#include "strpool.h"

struct stack_session;

/* Frames for one unwound pc (cached). NULL only when out of memory. */
const struct pc_entry *stack_symbolize_pc(struct stack_session *s,
		uint64_t pc, bool activation);

/* The compilation unit of ADDR (a module-relative DWARF address plus the
 * bias) into *CU, with the module's DWARF bias; also for modules without
 * .debug_aranges (clang's default). */
bool stack_unit_of(Dwfl_Module *mod, Dwarf_Addr addr, Dwarf_Die *cu,
		Dwarf_Addr *bias);

/* As stack_unit_of, for reading variables: with split DWARF
 * (-gsplit-dwarf) the unit in the .dwo file (found by libdw next to the
 * binary, through the skeleton's DW_AT_dwo_name and DW_AT_comp_dir),
 * which has the functions and variables; else the unit itself. */
bool stack_debug_unit_of(Dwfl_Module *mod, Dwarf_Addr addr, Dwarf_Die *cu,
		Dwarf_Addr *bias);

/* C++ names demangled when the C++ runtime is linked in; else NAME
 * (demangle.c). Interned in P. */
const char *stack_demangle(struct strpool *p, const char *name);

#endif
