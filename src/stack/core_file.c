/* A core file checked before anything trusts it (see core_file.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core_file.h"
#include "message.h"

#ifndef NT_PRSTATUS
#define NT_PRSTATUS 1
#endif
#ifndef NT_FILE
#define NT_FILE 0x46494c45
#endif
#ifndef NT_SIGINFO
#define NT_SIGINFO 0x53494749
#endif

/* The segment [OFFSET, OFFSET+SIZE) lies inside the file (no overflow). */
static bool inside(const struct core_file *c, uint64_t offset, uint64_t size)
{
	return offset <= c->size && size <= c->size - offset;
}

uint64_t core_file_word(const struct core_file *c, const unsigned char *p)
{
	if (c->word == 4) {
		uint32_t w;
		memcpy(&w, p, 4);
		return w;
	}
	uint64_t w;
	memcpy(&w, p, 8);
	return w;
}

/* NT_FILE: count, page size, COUNT x (start, end, page offset), then COUNT
 * NUL-terminated paths. Every bound checked; false when malformed. */
static bool read_nt_file(struct core_file *c, const unsigned char *desc,
		size_t size)
{
	size_t w = c->word;
	if (c->files || size < 2 * w)
		return false;
	uint64_t count = core_file_word(c, desc), page = core_file_word(c, desc + w);
	if (count == 0 || count > (size - 2 * w) / (3 * w) || page == 0)
		return false;
	c->files = calloc(count, sizeof *c->files);
	if (!c->files)
		return false;
	const unsigned char *entry = desc + 2 * w;
	const char *path = (const char *)entry + count * 3 * w;
	const char *end = (const char *)desc + size;
	for (uint64_t i = 0; i < count; i++, entry += 3 * w) {
		const char *nul = memchr(path, '\0', (size_t)(end - path));
		if (!nul)
			return false;
		c->files[i] = (struct core_mapped_file){
			.start = core_file_word(c, entry),
			.end = core_file_word(c, entry + w),
			.offset = core_file_word(c, entry + 2 * w) * page,
			.path = path,
		};
		path = nul + 1;
		if (i + 1 < count && path >= end)
			return false;
	}
	c->nfiles = count;
	return true;
}

/* The notes of one PT_NOTE segment: each one well formed; counts the
 * NT_PRSTATUS notes (one per thread) into *NTHREADS. */
static bool check_notes(struct core_file *c, const GElf_Phdr *ph,
		size_t *nthreads)
{
	Elf_Data *data = elf_getdata_rawchunk(c->elf, (int64_t)ph->p_offset,
			ph->p_filesz, ELF_T_NHDR);
	if (!data)
		return false;
	size_t offset = 0, name_offset, desc_offset;
	GElf_Nhdr nhdr;
	while (offset < data->d_size) {
		size_t next = gelf_getnote(data, offset, &nhdr, &name_offset,
				&desc_offset);
		if (next == 0 || next <= offset)
			return false;
		bool core = nhdr.n_namesz == 5 &&
			memcmp((char *)data->d_buf + name_offset, "CORE", 5) == 0;
		struct core_note note = {
			(unsigned char *)data->d_buf + desc_offset, nhdr.n_descsz };
		if (core && nhdr.n_type == NT_PRSTATUS) {
			(*nthreads)++;
			if (!c->prstatus_first.desc)
				c->prstatus_first = note;
			/* pr_cursig: a short after pr_info's three ints */
			short cursig = 0;
			if (note.size >= 14)
				memcpy(&cursig, note.desc + 12, 2);
			if (cursig && !c->prstatus_signalled.desc)
				c->prstatus_signalled = note;
		}
		if (core && nhdr.n_type == NT_SIGINFO && !c->siginfo.desc)
			c->siginfo = note;
		if (core && nhdr.n_type == NT_PRPSINFO && !c->prpsinfo.desc)
			c->prpsinfo = note;
		if (core && nhdr.n_type == NT_AUXV && !c->auxv.desc)
			c->auxv = note;
		if (core && nhdr.n_type == NT_FILE &&
		    !read_nt_file(c, (unsigned char *)data->d_buf + desc_offset,
				  nhdr.n_descsz))
			return false;
		offset = next;
	}
	return true;
}

static int fail(struct core_file *c, char **error, char *message)
{
	*error = message;
	core_file_close(c);
	return -1;
}

/* Every program header inside the file, the notes well formed, at least
 * one thread; the executable segments remembered. */
static int check_segments(struct core_file *c, const char *path, char **error)
{
	size_t n;
	if (elf_getphdrnum(c->elf, &n) != 0 || n == 0 || n > 1u << 20)
		return fail(c, error, stack_strdupf("%s: corrupt core (no "
				"usable program headers)", path));
	size_t nthreads = 0, nnotes = 0;
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(c->elf, (int)i, &ph))
			return fail(c, error, stack_strdupf("%s: corrupt core "
					"(program header %zu)", path, i));
		if (!inside(c, ph.p_offset, ph.p_filesz))
			return fail(c, error, stack_strdupf("%s: truncated core "
				"(segment %zu ends at byte %llu, the file has "
				"%llu)", path, i, (unsigned long long)ph.p_offset +
				(unsigned long long)ph.p_filesz,
				(unsigned long long)c->size));
		if (ph.p_type == PT_NOTE) {
			nnotes++;
			if (!check_notes(c, &ph, &nthreads))
				return fail(c, error, stack_strdupf("%s: corrupt "
					"core (bad note in segment %zu)", path, i));
		}
		if (ph.p_type == PT_LOAD && (ph.p_flags & PF_X) &&
		    !core_file_add_exec(c, ph.p_vaddr, ph.p_vaddr + ph.p_memsz,
				false))
			return fail(c, error, stack_strdupf("%s",
					strerror(ENOMEM)));
	}
	if (!nnotes || !nthreads)
		return fail(c, error, stack_strdupf("%s: corrupt core (no "
				"thread: no NT_PRSTATUS note)", path));
	return 0;
}

int core_file_open(struct core_file *c, const char *path, char **error)
{
	*c = (struct core_file){ .fd = -1 };
	*error = NULL;
	elf_version(EV_CURRENT);
	c->fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (c->fd < 0 || fstat(c->fd, &st) != 0)
		return fail(c, error, stack_strdupf("cannot open core %s: %s",
				path, strerror(errno)));
	if (!S_ISREG(st.st_mode))
		return fail(c, error, stack_strdupf("%s: not a regular file",
				path));
	c->size = (uint64_t)st.st_size;
	c->elf = elf_begin(c->fd, ELF_C_READ_MMAP, NULL);
	GElf_Ehdr eh;
	if (!c->elf || elf_kind(c->elf) != ELF_K_ELF || !gelf_getehdr(c->elf, &eh))
		return fail(c, error, stack_strdupf("%s: not an ELF file", path));
	if (eh.e_type != ET_CORE)
		return fail(c, error, stack_strdupf("%s: not a core file (ELF "
				"type %u)", path, (unsigned)eh.e_type));
	c->word = gelf_getclass(c->elf) == ELFCLASS32 ? 4 : 8;
	return check_segments(c, path, error);
}

void core_file_close(struct core_file *c)
{
	if (c->elf)
		elf_end(c->elf);
	if (c->fd >= 0)
		close(c->fd);
	free(c->exec.ranges);
	free(c->files);
	*c = (struct core_file){ .fd = -1 };
}

const char *core_file_mapped_at(const struct core_file *c, uint64_t start)
{
	for (size_t i = 0; i < c->nfiles; i++)
		if (c->files[i].start == start && c->files[i].offset == 0)
			return c->files[i].path;
	return NULL;
}

bool core_file_add_exec(struct core_file *c, uint64_t lo, uint64_t hi,
		bool vdso)
{
	if (hi <= lo)
		return true;   /* empty, or wrapped around: not code */
	if (c->exec.count == c->exec_cap) {
		size_t cap = c->exec_cap ? c->exec_cap * 2 : 32;
		struct exec_range *r = realloc(c->exec.ranges, cap * sizeof *r);
		if (!r)
			return false;
		c->exec.ranges = r;
		c->exec_cap = cap;
	}
	c->exec.ranges[c->exec.count++] = (struct exec_range){ lo, hi, vdso };
	return true;
}

bool core_file_read(const struct core_file *c, uint64_t addr, void *buf,
		size_t size)
{
	size_t n;
	if (!c->elf || elf_getphdrnum(c->elf, &n) != 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(c->elf, (int)i, &ph) || ph.p_type != PT_LOAD ||
		    addr < ph.p_vaddr || addr - ph.p_vaddr > ph.p_filesz ||
		    size > ph.p_filesz - (addr - ph.p_vaddr))
			continue;
		uint64_t offset = ph.p_offset + (addr - ph.p_vaddr);
		return inside(c, offset, size) &&
		       pread(c->fd, buf, size, (off_t)offset) == (ssize_t)size;
	}
	return false;
}
