/* Values as gdb prints them, simplified: integers, chars (65 'A'), bools,
 * floating point (%.9g / %.17g, gdb's precisions), enumerators, pointers
 * (hex; to char also the string, at most VALUE_MAX_CHARS), structs and
 * arrays to a depth of VALUE_MAX_DEPTH ({...} below), runs of more than
 * VALUE_REPEATS equal elements as "<repeats N times>".
 *
 * Tracee bytes inside strings and chars are escaped here as gdb escapes
 * them (\n, \", \ooo...), not by src/util/escape.c, whose strace style
 * differs from gdb's: the output is printable ASCII all the same. */
#include "value_format.h"

#include <dwarf.h>
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "ptrc/escape.h"
#include "ptrc/mem.h"
#include "session.h"
#include "symbolize.h"
#include "value_cxx_string.h"
#include "value_known.h"
#include "value_string.h"

#define VALUE_MAX_ELEMENTS 200
#define VALUE_MAX_DEPTH 2
#define VALUE_MAX_TEXT 2048     /* one value's text, then "..." */

struct fmt {
	struct strbuf *sb;
	pid_t tid;
	struct stack_session *s;  /* for the symbol a pointer points into */
	size_t start;             /* sb->len when the value began */
	struct value_known k;     /* what each byte is (value_known.h) */
	uint64_t bias;            /* the module's, for static members */
};

static bool too_long(const struct fmt *f)
{
	return f->sb->len - f->start > VALUE_MAX_TEXT;
}


/* A char type: one byte, encoded as a character. */
static bool is_char(Dwarf_Die *peeled)
{
	if (dwarf_tag(peeled) != DW_TAG_base_type)
		return false;
	Dwarf_Word enc = value_attr_word(peeled, DW_AT_encoding, 0);
	return value_attr_word(peeled, DW_AT_byte_size, 0) == 1
		&& (enc == DW_ATE_signed_char || enc == DW_ATE_unsigned_char);
}

static void put_char_pointer(const struct fmt *f, uint64_t addr)
{
	char buf[VALUE_MAX_CHARS + 1];
	bool terminated = false;
	ssize_t n = mem_read_str(f->tid, addr, buf, VALUE_MAX_CHARS, &terminated);
	if (n < 0) {
		sb_printf(f->sb, " <error: Cannot access memory at address 0x%"
				PRIx64 ">", addr);
		return;
	}
	sb_putc(f->sb, ' ');
	value_put_string(f->sb, (const uint8_t *)buf, (size_t)n, !terminated);
}

static void format_any(const struct fmt *f, Dwarf_Die *type,
		const uint8_t *bytes, size_t size, int depth);

/* gdb's NaN: "-nan(0xMANTISSA)". */
static void put_nan(struct strbuf *sb, uint64_t bits, unsigned mant_bits,
		unsigned sign_bit)
{
	sb_printf(sb, "%snan(0x%" PRIx64 ")", bits >> sign_bit & 1 ? "-" : "",
		  bits & (((uint64_t)1 << mant_bits) - 1));
}

/* IEEE single and double with gdb's 9 and 17 digits; x87 extended (12 or
 * 16 bytes on x86) and quad (aarch64) long double with 21 and 36, through
 * the host's long double when it is the same format. */
static bool format_float(const struct fmt *f, const uint8_t *bytes,
		size_t size)
{
	if (size == 4) {
		float x;
		memcpy(&x, bytes, 4);
		if (isnan(x))
			put_nan(f->sb, value_load(bytes, 4), 23, 31);
		else
			sb_printf(f->sb, "%.9g", (double)x);
		return true;
	}
	if (size == 8) {
		double x;
		memcpy(&x, bytes, 8);
		if (isnan(x))
			put_nan(f->sb, value_load(bytes, 8), 52, 63);
		else
			sb_printf(f->sb, "%.17g", x);
		return true;
	}
	long double x = 0;
	if (LDBL_MANT_DIG == 64 && (size == 12 || size == 16)) {
		memcpy(&x, bytes, 10);  /* the x87 format's 80 bits */
		if (isnan(x))
			return false;
		sb_printf(f->sb, "%.21Lg", x);
		return true;
	}
	if (LDBL_MANT_DIG == 113 && size == 16 && sizeof x == 16) {
		memcpy(&x, bytes, 16);
		if (isnan(x))
			return false;
		sb_printf(f->sb, "%.36Lg", x);
		return true;
	}
	return false;
}

/* Wide characters: gdb prints them (and strings of them) as L'A', u"...":
 * not done here. */
static bool is_wide_char(Dwarf_Die *peeled)
{
	const char *name = dwarf_diename(peeled);
	return dwarf_tag(peeled) == DW_TAG_base_type
		&& (value_attr_word(peeled, DW_AT_encoding, 0) == DW_ATE_UTF
		    || (name && (!strcmp(name, "wchar_t")
				 || !strcmp(name, "char16_t")
				 || !strcmp(name, "char32_t"))));
}

static void format_base(const struct fmt *f, Dwarf_Die *t,
		const uint8_t *bytes, size_t size)
{
	uint64_t v = value_load(bytes, size);
	Dwarf_Word enc = value_attr_word(t, DW_AT_encoding, 0);
	if (is_wide_char(t) || (size > 8 && enc != DW_ATE_float)) {
		sb_puts(f->sb, VALUE_UNSUPPORTED);  /* also __int128 */
		return;
	}
	switch (value_attr_word(t, DW_AT_encoding, 0)) {
	case DW_ATE_boolean:
		if (v <= 1)
			sb_puts(f->sb, v ? "true" : "false");
		else
			sb_printf(f->sb, "%" PRIu64, v);
		return;
	case DW_ATE_signed_char:
	case DW_ATE_unsigned_char:
		if (size == 1) {
			sb_printf(f->sb, value_attr_word(t, DW_AT_encoding, 0) ==
					DW_ATE_signed_char ? "%d '" : "%u '",
					value_attr_word(t, DW_AT_encoding, 0) ==
					DW_ATE_signed_char ? (int)(int8_t)v :
					(int)(uint8_t)v);
			value_put_char(f->sb, (uint8_t)v, '\'');
			sb_putc(f->sb, '\'');
			return;
		}
		break;
	case DW_ATE_signed:
		sb_printf(f->sb, "%" PRId64, value_sign_extend(v, size));
		return;
	case DW_ATE_unsigned:
		sb_printf(f->sb, "%" PRIu64, v);
		return;
	case DW_ATE_float:
		if (format_float(f, bytes, size))
			return;
		break;
	}
	sb_puts(f->sb, VALUE_UNSUPPORTED);
}

/* " <SYMBOL+OFF>" when ADDR is inside a symbol of a module (as gdb's
 * "print symbol"): a sizeless symbol only at its address. */
static void put_symbol(const struct fmt *f, uint64_t addr)
{
	Dwfl_Module *mod = f->s ? dwfl_addrmodule(f->s->dwfl, addr) : NULL;
	GElf_Off off = 0;
	GElf_Sym sym;
	const char *name = mod ? dwfl_module_addrinfo(mod, addr, &off, &sym,
			NULL, NULL, NULL) : NULL;
	if (!name || !*name || (off && off >= sym.st_size))
		return;
	const char *at = strchr(name, '@');  /* "memcpy@@GLIBC_2.14" */
	if (at)
		name = stack_strpool_intern_len(&f->s->pool, name,
				(size_t)(at - name));
	name = name ? stack_demangle(&f->s->pool, name) : NULL;  /* vtables */
	sb_puts(f->sb, " <");
	escape_bare_str(f->sb, name ? name : "?");
	if (off)
		sb_printf(f->sb, "+%" PRIu64, (uint64_t)off);
	sb_putc(f->sb, '>');
}

static void format_pointer(const struct fmt *f, Dwarf_Die *t,
		const uint8_t *bytes, size_t size)
{
	uint64_t v = value_load(bytes, size);
	Dwarf_Die target;
	bool known = value_type_of(t, &target)
		&& dwarf_peel_type(&target, &target) == 0;
	if (known && is_wide_char(&target)) {
		sb_puts(f->sb, VALUE_UNSUPPORTED);
		return;
	}
	sb_printf(f->sb, "0x%" PRIx64, v);
	if (v)
		put_symbol(f, v);
	if (v && known && is_char(&target))
		put_char_pointer(f, v);
}

/* Bit-field MEMBER of the object in BYTES (SIZE), into *OUT; its first
 * bit into *FIRST. */
static bool bitfield(Dwarf_Die *member, const uint8_t *bytes, size_t size,
		Dwarf_Word bits, uint64_t *out, Dwarf_Word *first)
{
	Dwarf_Word at = value_attr_word(member, DW_AT_data_bit_offset, UINT64_MAX);
	if (at == UINT64_MAX) {
		/* DWARF 2/3: DW_AT_bit_offset counts from the storage unit's
		 * most significant bit. */
		Dwarf_Word unit = value_attr_word(member, DW_AT_byte_size, 0);
		Dwarf_Word off = value_attr_word(member, DW_AT_bit_offset, UINT64_MAX);
		if (!unit || off == UINT64_MAX || off + bits > unit * 8)
			return false;
		at = value_attr_word(member, DW_AT_data_member_location, 0) * 8
			+ unit * 8 - off - bits;
	}
	if (bits == 0 || bits > 64 || at + bits > size * 8)
		return false;
	uint64_t v = 0;
	for (Dwarf_Word i = 0; i < bits; i++) {
		Dwarf_Word b = at + i;
		v |= (uint64_t)(bytes[b / 8] >> (b % 8) & 1) << i;
	}
	*out = v;
	*first = at;
	return true;
}

static void format_member(const struct fmt *f, Dwarf_Die *member,
		const uint8_t *bytes, size_t size, int depth)
{
	Dwarf_Die mtype, peeled;
	if (!value_type_of(member, &mtype)) {
		sb_puts(f->sb, VALUE_UNSUPPORTED);
		return;
	}
	Dwarf_Word bits = value_attr_word(member, DW_AT_bit_size, 0);
	if (bits) {
		uint64_t v;
		Dwarf_Word at;
		size_t msize = value_type_size(&mtype);
		if (!bitfield(member, bytes, size, bits, &v, &at) || msize > 8) {
			sb_puts(f->sb, VALUE_UNSUPPORTED);
			return;
		}
		if (value_synthetic(&f->k, bytes + at / 8, (at % 8 + bits + 7) / 8, true)) {
			sb_puts(f->sb, "<synthetic pointer>");  /* see below */
			return;
		}
		if (!value_all_known(&f->k, bytes + at / 8, (at % 8 + bits + 7) / 8)) {
			value_put_unknown(&f->k, f->sb, DW_TAG_member, bytes + at / 8,
					(at % 8 + bits + 7) / 8);
			return;
		}
		if (dwarf_peel_type(&mtype, &peeled) == 0
				&& value_attr_word(&peeled, DW_AT_encoding, 0) == DW_ATE_signed
				&& bits < 64 && (v >> (bits - 1) & 1))
			v |= UINT64_MAX << bits;
		uint8_t word[8];
		for (int i = 0; i < 8; i++)
			word[i] = (uint8_t)(v >> (8 * i));
		format_any(f, &mtype, word, msize, depth);
		return;
	}
	Dwarf_Word off = value_attr_word(member, DW_AT_data_member_location, 0);
	size_t msize = value_type_size(&mtype);
	if (off > size || msize > size - off) {
		sb_puts(f->sb, VALUE_UNSUPPORTED);
		return;
	}
	/* gdb: a field all of whose bits are implicit pointers or past the
	 * pieces is a <synthetic pointer>, whatever its type (no value is
	 * claimed). */
	if (value_synthetic(&f->k, bytes + off, msize, true)) {
		sb_puts(f->sb, "<synthetic pointer>");
		return;
	}
	format_any(f, &mtype, bytes + off, msize, depth);
}

/* "NAME = ", or gdb's "<Base> = " for a base class. */
static void put_member_name(struct strbuf *sb, Dwarf_Die *member)
{
	Dwarf_Die base;
	const char *name = dwarf_diename(member);
	if (dwarf_tag(member) == DW_TAG_inheritance) {
		name = value_type_of(member, &base) ? dwarf_diename(&base) : NULL;
		sb_putc(sb, '<');
		escape_bare_str(sb, name ? name : "?");
		sb_puts(sb, "> = ");
	} else if (name) {
		escape_bare_str(sb, name);
		sb_puts(sb, " = ");
	}
}

/* Among FIRST and its siblings (and inside namespaces there, DEPTH
 * levels), the variable whose DW_AT_specification is at offset WANT. */
static bool definition_among(Dwarf_Die first, Dwarf_Off want, Dwarf_Die *def,
		int depth)
{
	Dwarf_Die child = first, inner;
	do {
		Dwarf_Attribute attr;
		Dwarf_Die spec;
		int tag = dwarf_tag(&child);
		if (tag == DW_TAG_variable && dwarf_formref_die(dwarf_attr(&child,
				DW_AT_specification, &attr), &spec)
				&& dwarf_dieoffset(&spec) == want) {
			*def = child;
			return true;
		}
		if (tag == DW_TAG_namespace && depth > 0
				&& dwarf_child(&child, &inner) == 0
				&& definition_among(inner, want, def, depth - 1))
			return true;
	} while (dwarf_siblingof(&child, &child) == 0);
	return false;
}

/* The definition of static member DECL in its unit. */
static bool static_definition(Dwarf_Die *decl, Dwarf_Die *def)
{
	Dwarf_Die cu, child;
	return dwarf_diecu(decl, &cu, NULL, NULL) && dwarf_child(&cu, &child) == 0
		&& definition_among(child, dwarf_dieoffset(decl), def, 2);
}

/* gdb's "static NAME = VALUE" of the static data member DECL: its
 * DW_AT_const_value, or its definition's memory (DW_OP_addr);
 * <optimized out> when this unit has neither (defined elsewhere). */
static void format_static(const struct fmt *f, Dwarf_Die *decl, int depth)
{
	uint8_t buf[256];
	Dwarf_Die type, def;
	Dwarf_Attribute attr;
	Dwarf_Op *ops;
	size_t size, nops;
	sb_puts(f->sb, "static ");
	put_member_name(f->sb, decl);
	if (!value_type_of(decl, &type) || !(size = value_type_size(&type))
			|| size > sizeof buf) {
		sb_puts(f->sb, "<optimized out>");
		return;
	}
	bool have = value_const_bytes(decl, buf, size);
	if (!have && static_definition(decl, &def)) {
		have = value_const_bytes(&def, buf, size);
		if (!have && dwarf_getlocation(dwarf_attr(&def, DW_AT_location,
				&attr), &ops, &nops) == 0 && nops == 1
				&& ops[0].atom == DW_OP_addr) {
			uint64_t addr = ops[0].number + f->bias;
			if (mem_read(f->tid, addr, buf, size) != (ssize_t)size) {
				sb_printf(f->sb, "<error: Cannot access memory at "
						"address 0x%" PRIx64 ">", addr);
				return;
			}
			have = true;
		}
	}
	if (have)
		format_any(f, &type, buf, size, depth);
	else
		sb_puts(f->sb, "<optimized out>");
}

/* C++ templates (std::vector...) are what gdb shows through
 * pretty-printers: ptrc does not pretend to know them, but for
 * std::string (value_cxx_string.c). */
static bool is_template(Dwarf_Die *t)
{
	const char *name = dwarf_diename(t);
	return name && strchr(name, '<');
}

static void format_struct(const struct fmt *f, Dwarf_Die *t,
		const uint8_t *bytes, size_t size, int depth)
{
	if (is_template(t)) {
		if (!value_all_known(&f->k, bytes, size)
				&& value_is_cxx_string(t))
			sb_puts(f->sb, "<optimized out>");
		else if (!value_cxx_string(f->sb, f->tid, t, bytes, size))
			sb_puts(f->sb, VALUE_UNSUPPORTED);
		return;
	}
	if (depth > VALUE_MAX_DEPTH) {
		sb_puts(f->sb, "{...}");
		return;
	}
	sb_putc(f->sb, '{');
	bool first = true;
	Dwarf_Die child;
	if (dwarf_child(t, &child) == 0) {
		do {
			int tag = dwarf_tag(&child);
			bool decl = false;
			Dwarf_Attribute attr;
			dwarf_formflag(dwarf_attr(&child, DW_AT_declaration, &attr),
					&decl);
			/* A static member: DWARF 5's variable, DWARF 4's
			 * member declaration. */
			bool is_static = (tag == DW_TAG_variable
				|| tag == DW_TAG_member) && decl;
			if (tag != DW_TAG_member && tag != DW_TAG_inheritance
					&& !is_static)
				continue;
			if (too_long(f)) {
				sb_puts(f->sb, "...");
				break;
			}
			sb_puts(f->sb, first ? "" : ", ");
			first = false;
			if (is_static) {
				format_static(f, &child, depth + 1);
				continue;
			}
			put_member_name(f->sb, &child);
			format_member(f, &child, bytes, size, depth + 1);
		} while (dwarf_siblingof(&child, &child) == 0);
	}
	sb_putc(f->sb, '}');
}

/* The element count of a one-dimensional array type; false for others. */
static bool array_count(Dwarf_Die *t, size_t *count)
{
	Dwarf_Die sub;
	if (dwarf_child(t, &sub) != 0 || dwarf_tag(&sub) != DW_TAG_subrange_type)
		return false;
	Dwarf_Die next = sub;
	if (dwarf_siblingof(&next, &next) == 0)
		return false;  /* more dimensions: left to {...} */
	Dwarf_Word n = value_attr_word(&sub, DW_AT_count, UINT64_MAX);
	if (n == UINT64_MAX) {
		Dwarf_Word upper = value_attr_word(&sub, DW_AT_upper_bound, UINT64_MAX);
		if (upper == UINT64_MAX)
			return false;
		n = upper + 1;
	}
	*count = (size_t)n;
	return true;
}

static void format_elements(const struct fmt *f, Dwarf_Die *etype,
		size_t esize, const uint8_t *bytes, size_t count, int depth)
{
	size_t i = 0, things = 0;
	sb_putc(f->sb, '{');
	while (i < count && things < VALUE_MAX_ELEMENTS) {
		size_t run = 1;
		while (i + run < count && memcmp(bytes + i * esize,
				bytes + (i + run) * esize, esize) == 0
				&& value_same_known(&f->k, bytes + i * esize,
					bytes + (i + run) * esize, esize))
			run++;
		if (i)
			sb_puts(f->sb, ", ");
		if (too_long(f))
			break;
		format_any(f, etype, bytes + i * esize, esize, depth + 1);
		if (run > VALUE_REPEATS) {
			sb_printf(f->sb, " <repeats %zu times>", run);
			i += run;
			things += VALUE_REPEATS;
		} else {
			i++;
			things++;
		}
	}
	if (i < count)
		sb_puts(f->sb, "...");
	sb_putc(f->sb, '}');
}

static void format_array(const struct fmt *f, Dwarf_Die *t,
		const uint8_t *bytes, size_t size, int depth)
{
	Dwarf_Die etype, peeled;
	size_t count, esize;
	if (depth > VALUE_MAX_DEPTH || !array_count(t, &count)
			|| !value_type_of(t, &etype) || !(esize = value_type_size(&etype))
			|| count > size / esize) {
		sb_puts(f->sb, "{...}");
		return;
	}
	/* gdb prints a partly known char array element by element. */
	if (dwarf_peel_type(&etype, &peeled) == 0 && is_char(&peeled)
			&& (!f->k.known || value_all_known(&f->k, bytes, count))) {
		/* gdb leaves out one final NUL, and stops at "print elements". */
		size_t len = count;
		if (len && bytes[len - 1] == 0)
			len--;
		value_put_string(f->sb, bytes, len, false);
		return;
	}
	format_elements(f, &etype, esize, bytes, count, depth);
}

/* A C++ reference as gdb prints it: "@0xADDR: VALUE". */
static void format_reference(const struct fmt *f, Dwarf_Die *t,
		const uint8_t *bytes, size_t size, int depth)
{
	uint64_t addr = value_load(bytes, size);
	Dwarf_Die target, peeled;
	uint8_t buf[256];
	size_t tsize;
	if (value_type_of(t, &target) && dwarf_peel_type(&target, &peeled) == 0
			&& is_template(&peeled)) {
		/* gdb: the pretty-printer's text alone, no "@ADDR: " */
		tsize = value_type_size(&peeled);
		if (!tsize || tsize > sizeof buf || mem_read(f->tid, addr, buf,
				tsize) != (ssize_t)tsize || !value_cxx_string(
				f->sb, f->tid, &peeled, buf, tsize))
			sb_puts(f->sb, VALUE_UNSUPPORTED);
		return;
	}
	sb_printf(f->sb, "@0x%" PRIx64 ": ", addr);
	if (!value_type_of(t, &target) || !(tsize = value_type_size(&target))
			|| tsize > sizeof buf || depth > VALUE_MAX_DEPTH) {
		sb_puts(f->sb, "{...}");
		return;
	}
	if (mem_read(f->tid, addr, buf, tsize) != (ssize_t)tsize) {
		sb_printf(f->sb, "<error: Cannot access memory at address 0x%"
				PRIx64 ">", addr);
		return;
	}
	format_any(f, &target, buf, tsize, depth + 1);
}

static void format_any(const struct fmt *f, Dwarf_Die *type,
		const uint8_t *bytes, size_t size, int depth)
{
	Dwarf_Die t;
	if (dwarf_peel_type(type, &t) != 0) {
		sb_puts(f->sb, VALUE_UNSUPPORTED);
		return;
	}
	int tag = dwarf_tag(&t);
	bool scalar = tag != DW_TAG_structure_type && tag != DW_TAG_union_type
		&& tag != DW_TAG_class_type && tag != DW_TAG_array_type;
	if (scalar && !value_all_known(&f->k, bytes, size)) {
		value_put_unknown(&f->k, f->sb, tag, bytes, size);  /* as gdb */
		return;
	}
	switch (tag) {
	case DW_TAG_base_type:
		format_base(f, &t, bytes, size);
		return;
	case DW_TAG_enumeration_type:
		value_format_enum(f->sb, &t, bytes, size);
		return;
	case DW_TAG_pointer_type:
		format_pointer(f, &t, bytes, size);
		return;
	case DW_TAG_structure_type:
	case DW_TAG_union_type:
	case DW_TAG_class_type:
		format_struct(f, &t, bytes, size, depth);
		return;
	case DW_TAG_array_type:
		format_array(f, &t, bytes, size, depth);
		return;
	case DW_TAG_reference_type:
	case DW_TAG_rvalue_reference_type:
		format_reference(f, &t, bytes, size, depth);
		return;
	}
	sb_puts(f->sb, VALUE_UNSUPPORTED);
}

bool value_format(struct strbuf *sb, pid_t tid, struct stack_session *s,
		uint64_t bias, Dwarf_Die *type, const uint8_t *bytes,
		const uint8_t *known, size_t size)
{
	bool past_pieces = false;
	struct fmt f = { .sb = sb, .tid = tid, .s = s, .start = sb->len,
		.k = { .base = bytes, .known = known, .total = size,
		       .past_pieces = &past_pieces }, .bias = bias };
	format_any(&f, type, bytes, size, 0);
	return !past_pieces;
}
