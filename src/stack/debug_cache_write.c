/* A debug file with its compressed sections inflated
 * (debug_cache_write.h). The copy keeps every section, segment and header
 * field at its offset (ELF_F_LAYOUT) and appends the inflated sections,
 * then the section headers, after the original contents: libdw then finds
 * the same DWARF it would have inflated itself. */
#include "debug_cache_write.h"

#include <fcntl.h>
#include <gelf.h>
#include <unistd.h>

static GElf_Off align_up(GElf_Off off, GElf_Xword align)
{
	return align > 1 ? (off + align - 1) / align * align : off;
}

/* The end of SOURCE's contents: headers and every section with bytes. */
static GElf_Off contents_end(Elf *in, const GElf_Ehdr *eh)
{
	GElf_Off end = eh->e_ehsize;
	GElf_Off ph = eh->e_phoff + (GElf_Off)eh->e_phnum * eh->e_phentsize;
	GElf_Off sh = eh->e_shoff + (GElf_Off)eh->e_shnum * eh->e_shentsize;
	end = ph > end ? ph : end;
	end = sh > end ? sh : end;
	for (Elf_Scn *scn = elf_nextscn(in, NULL); scn; scn = elf_nextscn(in, scn)) {
		GElf_Shdr s;
		if (gelf_getshdr(scn, &s) && s.sh_type != SHT_NOBITS &&
		    s.sh_offset + s.sh_size > end)
			end = s.sh_offset + s.sh_size;
	}
	return end;
}

/* Each section of IN into OUT, the compressed ones inflated and placed
 * from *END on. Returns how many were inflated, -1 on error. */
static int copy_sections(Elf *in, Elf *out, GElf_Off *end)
{
	int inflated = 0;
	for (Elf_Scn *scn = elf_nextscn(in, NULL); scn; scn = elf_nextscn(in, scn)) {
		GElf_Shdr s;
		if (!gelf_getshdr(scn, &s))
			return -1;
		if (s.sh_flags & SHF_COMPRESSED) {
			if (elf_compress(scn, 0, 0) < 0 || !gelf_getshdr(scn, &s))
				return -1;
			s.sh_offset = align_up(*end, s.sh_addralign);
			*end = s.sh_offset + s.sh_size;
			inflated++;
		}
		Elf_Scn *copy = elf_newscn(out);
		Elf_Data *data = elf_getdata(scn, NULL);
		if (!copy || !data)
			return -1;
		Elf_Data *cdata = elf_newdata(copy);
		if (!cdata)
			return -1;
		cdata->d_buf = data->d_buf;
		cdata->d_type = data->d_type;
		cdata->d_version = data->d_version;
		cdata->d_size = data->d_size;
		cdata->d_off = 0;
		cdata->d_align = data->d_align;
		if (!gelf_update_shdr(copy, &s))
			return -1;
	}
	return inflated;
}

static bool write_copy(Elf *in, Elf *out)
{
	GElf_Ehdr eh;
	size_t phnum = 0, shnum = 0;
	if (!gelf_getehdr(in, &eh) || elf_getphdrnum(in, &phnum) != 0 ||
	    elf_getshdrnum(in, &shnum) != 0 || shnum >= SHN_LORESERVE ||
	    !gelf_newehdr(out, gelf_getclass(in)))
		return false;
	if (phnum && !gelf_newphdr(out, phnum))
		return false;
	for (size_t i = 0; i < phnum; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(in, (int)i, &ph) || !gelf_update_phdr(out, (int)i, &ph))
			return false;
	}
	elf_flagelf(out, ELF_C_SET, ELF_F_LAYOUT);
	GElf_Off end = contents_end(in, &eh);
	if (copy_sections(in, out, &end) <= 0)
		return false;
	eh.e_shoff = align_up(end, 8);
	return gelf_update_ehdr(out, &eh) && elf_update(out, ELF_C_WRITE) >= 0;
}

bool debug_cache_write_inflated(const char *source, int out_fd)
{
	if (elf_version(EV_CURRENT) == EV_NONE)
		return false;
	int in_fd = open(source, O_RDONLY | O_CLOEXEC);
	if (in_fd < 0)
		return false;
	bool ok = false;
	Elf *in = elf_begin(in_fd, ELF_C_READ_MMAP, NULL);
	Elf *out = in && elf_kind(in) == ELF_K_ELF
		? elf_begin(out_fd, ELF_C_WRITE, NULL) : NULL;
	if (out) {
		ok = write_copy(in, out);
		elf_end(out);
	}
	if (in)
		elf_end(in);
	close(in_fd);
	return ok;
}
