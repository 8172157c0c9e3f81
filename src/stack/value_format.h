/* A variable's bytes, read from its location, printed as gdb prints them
 * (simplified): see value_format.c. */
#ifndef PTRC_STACK_VALUE_FORMAT_H
#define PTRC_STACK_VALUE_FORMAT_H

#include <elfutils/libdwfl.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ptrc/strbuf.h"

/* What stands for a value (or a part of one) of a type not printed. */
#define VALUE_UNSUPPORTED "<unsupported type>"

/* DIE's DW_AT_type (abstract origins followed) into *TYPE. */
bool value_type_of(Dwarf_Die *die, Dwarf_Die *type);

/* The size in bytes of TYPE (typedefs and qualifiers followed), or 0 when
 * unknown. */
size_t value_type_size(Dwarf_Die *type);

/* Little-endian SIZE bytes (at most 8) as a number; V's low SIZE bytes
 * sign-extended; DIE's NAME attribute as a number, or DFLT
 * (value_type.c). */
uint64_t value_load(const uint8_t *bytes, size_t size);
int64_t value_sign_extend(uint64_t v, size_t size);
Dwarf_Word value_attr_word(Dwarf_Die *die, unsigned name, Dwarf_Word dflt);

/* DW_AT_const_value of DIE as an object of SIZE bytes (value_type.c). */
bool value_const_bytes(Dwarf_Die *die, uint8_t *out, size_t size);

/* The enumerator of enum type T (peeled) whose value BYTES hold, as gdb
 * prints it (value_enum.c). */
void value_format_enum(struct strbuf *sb, Dwarf_Die *t, const uint8_t *bytes,
		size_t size);

/* "int", "const char *", "struct foo", "int [4]"...: TYPE's C name. */
void value_type_name(struct strbuf *sb, Dwarf_Die *type);

/* BYTES (SIZE of them) of an object of TYPE, as gdb prints it; pointers
 * to char are followed into TID's memory for a bounded string, pointers
 * into a symbol of the session's modules named (S may be NULL); C++
 * static members read at their DW_OP_addr plus BIAS, the module's. KNOWN
 * (NULL: all known) says per byte what dwarf_loc.h's loc_read_pieces
 * says: a scalar with a part not known is <optimized out>, as in gdb.
 * False when a part past the object's pieces shows: gdb prints those
 * inconsistently (zeros in a char array, <synthetic pointer> elsewhere),
 * so the caller prints the whole value as <optimized out>. */
struct stack_session;
bool value_format(struct strbuf *sb, pid_t tid, struct stack_session *s,
		uint64_t bias, Dwarf_Die *type, const uint8_t *bytes,
		const uint8_t *known, size_t size);

#endif
