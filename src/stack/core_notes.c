/* A core's crash facts from its notes (see core_notes.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_notes.h"
#include "message.h"

#ifndef AT_ENTRY
#define AT_ENTRY 9
#endif

/* struct elf_prstatus: pr_info (3 ints), pr_cursig (short), then
 * pr_sigpend, pr_sighold (words), pr_pid...; pr_reg after four timevals;
 * pr_fpvalid (an int, word-aligned) last. */
struct prstatus_layout { size_t pid, reg, tail; };
static const struct prstatus_layout prstatus64 = { 32, 112, 8 };
static const struct prstatus_layout prstatus32 = { 24, 72, 4 };

/* struct elf_prpsinfo: pr_fname[16] then pr_psargs[80], told apart by
 * the note's size (the uid fields are 16-bit on i386). */
struct prpsinfo_layout { size_t size, fname; };
static const struct prpsinfo_layout prpsinfo_layouts[] = {
	{ 136, 40 },   /* 64-bit: x86_64, aarch64 */
	{ 124, 28 },   /* i386 */
};
#define PSARGS_SIZE 80

static void prstatus_facts(const struct core_file *c,
		struct stack_core_facts *out)
{
	const struct core_note *n = c->prstatus_signalled.desc ?
		&c->prstatus_signalled : &c->prstatus_first;
	const struct prstatus_layout *l = c->word == 4 ? &prstatus32 :
		&prstatus64;
	if (!n->desc || n->size < l->reg + l->tail)
		return;
	short cursig;
	int32_t tid;
	memcpy(&cursig, n->desc + 12, 2);
	memcpy(&tid, n->desc + l->pid, 4);
	out->tid = tid;
	out->cursig = cursig;
	out->regs = n->desc + l->reg;
	out->regs_size = n->size - l->reg - l->tail;
}

/* The path NT_FILE gives for the mapping that holds AT_ENTRY. */
static const char *entry_file(const struct core_file *c)
{
	size_t pair = 2 * (size_t)c->word;
	uint64_t entry = 0;
	for (size_t i = 0; c->auxv.desc && i + pair <= c->auxv.size; i += pair)
		if (core_file_word(c, c->auxv.desc + i) == AT_ENTRY)
			entry = core_file_word(c, c->auxv.desc + i + c->word);
	for (size_t i = 0; entry && i < c->nfiles; i++)
		if (entry >= c->files[i].start && entry < c->files[i].end)
			return c->files[i].path;
	return NULL;
}

void core_notes_facts(const struct core_file *c, struct stack_core_facts *out)
{
	*out = (struct stack_core_facts){ .word = c->word };
	prstatus_facts(c, out);
	out->siginfo = c->siginfo.desc;
	out->siginfo_size = c->siginfo.size;
	for (size_t i = 0; i < sizeof prpsinfo_layouts /
			sizeof prpsinfo_layouts[0]; i++) {
		const struct prpsinfo_layout *l = &prpsinfo_layouts[i];
		if (!c->prpsinfo.desc || c->prpsinfo.size != l->size)
			continue;
		memcpy(out->fname, c->prpsinfo.desc + l->fname, 16);
		out->fname[16] = '\0';
		const char *args = (const char *)c->prpsinfo.desc + l->fname + 16;
		out->psargs = args;
		out->psargs_len = strnlen(args, PSARGS_SIZE);
	}
	out->exe = entry_file(c);
}

/* "LO-HI PERMS OFFSET PATH" of program header PH. */
static char *segment_text(const struct core_file *c, const GElf_Phdr *ph)
{
	const char *path = "";
	uint64_t offset = 0;
	for (size_t i = 0; i < c->nfiles; i++)
		if (ph->p_vaddr >= c->files[i].start &&
		    ph->p_vaddr < c->files[i].end) {
			path = c->files[i].path;
			offset = c->files[i].offset +
				 (ph->p_vaddr - c->files[i].start);
		}
	return stack_strdupf("%llx-%llx %c%c%cp %08llx %s",
			(unsigned long long)ph->p_vaddr,
			(unsigned long long)(ph->p_vaddr + ph->p_memsz),
			ph->p_flags & PF_R ? 'r' : '-',
			ph->p_flags & PF_W ? 'w' : '-',
			ph->p_flags & PF_X ? 'x' : '-',
			(unsigned long long)offset, path);
}

void core_notes_mapping(const struct core_file *c, uint64_t addr, char **at,
		char **below, char **above)
{
	*at = *below = *above = NULL;
	size_t n;
	if (elf_getphdrnum(c->elf, &n) != 0)
		return;
	GElf_Phdr best_below = { 0 }, best_above = { 0 };
	bool have_below = false, have_above = false;
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(c->elf, (int)i, &ph) || ph.p_type != PT_LOAD)
			continue;
		if (addr >= ph.p_vaddr && addr - ph.p_vaddr < ph.p_memsz) {
			*at = segment_text(c, &ph);
			return;
		}
		if (ph.p_vaddr + ph.p_memsz <= addr &&
		    (!have_below || ph.p_vaddr > best_below.p_vaddr)) {
			best_below = ph;
			have_below = true;
		}
		if (ph.p_vaddr > addr &&
		    (!have_above || ph.p_vaddr < best_above.p_vaddr)) {
			best_above = ph;
			have_above = true;
		}
	}
	if (have_below)
		*below = segment_text(c, &best_below);
	if (have_above)
		*above = segment_text(c, &best_above);
}
