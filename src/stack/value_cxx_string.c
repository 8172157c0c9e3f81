/* libstdc++'s std::string (std::__cxx11::basic_string<char>) as gdb's
 * pretty-printer shows it: its characters as a string, at most
 * VALUE_MAX_CHARS of them read from the tracee. The layout is read from
 * the DWARF (_M_dataplus._M_p, _M_string_length), never assumed: a
 * string type laid out otherwise stays <unsupported type>. */
#include "value_cxx_string.h"

#include <dwarf.h>
#include <inttypes.h>
#include <string.h>

#include "ptrc/mem.h"
#include "value_format.h"
#include "value_string.h"

#define STRING_PREFIX "basic_string<char, std::char_traits<char>, "

/* The member NAME of struct T: its offset and size. */
static bool member(Dwarf_Die *t, const char *name, Dwarf_Die *type,
		size_t *off, size_t *size)
{
	Dwarf_Die child;
	if (dwarf_child(t, &child) != 0)
		return false;
	do {
		const char *n = dwarf_diename(&child);
		if (dwarf_tag(&child) != DW_TAG_member || !n || strcmp(n, name))
			continue;
		Dwarf_Attribute attr;
		Dwarf_Word w;
		if (!value_type_of(&child, type) || dwarf_formudata(dwarf_attr(
				&child, DW_AT_data_member_location, &attr), &w) != 0)
			return false;
		*off = (size_t)w;
		*size = value_type_size(type);
		return true;
	} while (dwarf_siblingof(&child, &child) == 0);
	return false;
}

bool value_is_cxx_string(Dwarf_Die *t)
{
	const char *name = dwarf_diename(t);
	return name && strncmp(name, STRING_PREFIX, strlen(STRING_PREFIX)) == 0;
}

bool value_cxx_string(struct strbuf *sb, pid_t tid, Dwarf_Die *t,
		const uint8_t *bytes, size_t size)
{
	Dwarf_Die hider, p_type, len_type, peeled;
	size_t hider_off, hider_size, p_off, p_size, len_off, len_size;
	if (!value_is_cxx_string(t)
			|| !member(t, "_M_dataplus", &hider, &hider_off, &hider_size)
			|| dwarf_peel_type(&hider, &peeled) != 0
			|| !member(&peeled, "_M_p", &p_type, &p_off, &p_size)
			|| !member(t, "_M_string_length", &len_type, &len_off,
				&len_size)
			|| (p_size != 4 && p_size != 8) || (len_size != 4
				&& len_size != 8)
			|| hider_off + p_off + p_size > size
			|| len_off + len_size > size)
		return false;
	uint64_t addr = value_load(bytes + hider_off + p_off, p_size);
	uint64_t len = value_load(bytes + len_off, len_size);
	uint8_t buf[VALUE_MAX_CHARS];
	size_t want = len < sizeof buf ? (size_t)len : sizeof buf;
	if (want && mem_read(tid, addr, buf, want) != (ssize_t)want) {
		sb_printf(sb, "<error: Cannot access memory at address 0x%"
				PRIx64 ">", addr);
		return true;
	}
	value_put_string(sb, buf, want, len > want);
	return true;
}
