/* std::string as gdb's libstdc++ pretty-printer prints it
 * (value_cxx_string.c). */
#ifndef PTRC_STACK_VALUE_CXX_STRING_H
#define PTRC_STACK_VALUE_CXX_STRING_H

#include <elfutils/libdw.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ptrc/strbuf.h"

/* Whether T (a peeled struct type) is libstdc++'s basic_string<char>. */
bool value_is_cxx_string(Dwarf_Die *t);

/* The string object BYTES (SIZE) of type T, its characters read from
 * TID, into SB: "text", or <error: ...>. False when T is not a string
 * laid out as libstdc++'s (nothing written). */
bool value_cxx_string(struct strbuf *sb, pid_t tid, Dwarf_Die *t,
		const uint8_t *bytes, size_t size);

#endif
