/* A file mapped in a process, opened as ELF, and the defined symbols of
 * its .dynsym and .symtab. The files come from the tracee's side and may
 * be anything: every size and index read from them is bounded before
 * use. */
#include "elf_file.h"

#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* .gnu.version: the bit of a non-default version (not in every elf.h). */
#define VERSYM_HIDDEN_BIT 0x8000

static int open_regular(const char *path)
{
	/* O_NONBLOCK: the path may have been replaced by a FIFO. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return -1;
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* The file mapped at [START, END) in PID: through map_files (works for
 * deleted files and other mount namespaces), else through the process's
 * root, else PATH as we see it. */
static int open_mapped(pid_t pid, const char *path, uint64_t start,
		       uint64_t end)
{
	char name[PATH_MAX + 64];
	snprintf(name, sizeof name, "/proc/%d/map_files/%" PRIx64 "-%" PRIx64,
		 (int)pid, start, end);
	int fd = open_regular(name);
	if (fd >= 0 || path[0] != '/')
		return fd;
	int len = snprintf(name, sizeof name, "/proc/%d/root%s", (int)pid,
			   path);
	if (len > 0 && (size_t)len < sizeof name) {
		fd = open_regular(name);
		if (fd >= 0)
			return fd;
	}
	return open_regular(path);
}

int lcall_elf_open(pid_t pid, const char *path, uint64_t start,
		   uint64_t end, struct lcall_elf *ef)
{
	ef->elf = NULL;
	ef->fd = open_mapped(pid, path, start, end);
	if (ef->fd < 0)
		return -1;
	struct stat st;
	if (fstat(ef->fd, &st) != 0 || st.st_size < 0)
		goto fail;
	ef->size = (uint64_t)st.st_size;
	elf_version(EV_CURRENT);
	/* ELF_C_READ reads with pread: a mapping of the file (ELF_C_READ_MMAP)
	 * would fault if the tracee truncated the file meanwhile. */
	ef->elf = elf_begin(ef->fd, ELF_C_READ, NULL);
	GElf_Ehdr eh;
	if (!ef->elf || elf_kind(ef->elf) != ELF_K_ELF ||
	    !gelf_getehdr(ef->elf, &eh))
		goto fail;
	return 0;
fail:
	if (ef->elf)
		elf_end(ef->elf);
	close(ef->fd);
	ef->elf = NULL;
	ef->fd = -1;
	return -1;
}

void lcall_elf_close(struct lcall_elf *ef)
{
	elf_end(ef->elf);
	close(ef->fd);
}

/* Do the contents of the section with header SH lie inside the file? */
static bool section_in_file(const struct lcall_elf *ef, const GElf_Shdr *sh)
{
	if (sh->sh_type == SHT_NOBITS)
		return false;
	return sh->sh_offset <= ef->size && sh->sh_size <= ef->size - sh->sh_offset;
}

/* ---- symbols ---- */

/* The .gnu.version data that goes with symbol table section SYMNDX, or
 * NULL. */
static Elf_Data *versym_for(const struct lcall_elf *ef, size_t symndx)
{
	Elf_Scn *scn = NULL;
	while ((scn = elf_nextscn(ef->elf, scn))) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_GNU_versym ||
		    sh.sh_link != symndx || !section_in_file(ef, &sh))
			continue;
		return elf_getdata(scn, NULL);
	}
	return NULL;
}

int lcall_elf_walk_symbols(const struct lcall_elf *ef, lcall_sym_visit fn,
			   void *ctx)
{
	size_t shnum;
	if (elf_getshdrnum(ef->elf, &shnum) != 0)
		return -1;
	size_t symsize = gelf_fsize(ef->elf, ELF_T_SYM, 1, EV_CURRENT);
	if (symsize == 0)
		return -1;
	Elf_Scn *scn = NULL;
	while ((scn = elf_nextscn(ef->elf, scn))) {
		GElf_Shdr sh, strsh;
		if (!gelf_getshdr(scn, &sh) ||
		    (sh.sh_type != SHT_SYMTAB && sh.sh_type != SHT_DYNSYM) ||
		    !section_in_file(ef, &sh))
			continue;
		/* The names: a string table inside the file. */
		Elf_Scn *strscn = elf_getscn(ef->elf, sh.sh_link);
		if (sh.sh_link == 0 || !strscn || !gelf_getshdr(strscn, &strsh) ||
		    strsh.sh_type != SHT_STRTAB || !section_in_file(ef, &strsh))
			continue;
		Elf_Data *data = elf_getdata(scn, NULL);
		if (!data)
			continue;
		size_t count = data->d_size / symsize;
		if (count > INT_MAX)  /* gelf_getsym takes an int */
			count = INT_MAX;
		Elf_Data *versym = NULL;
		if (sh.sh_type == SHT_DYNSYM) {
			versym = versym_for(ef, elf_ndxscn(scn));
			if (versym && versym->d_size / sizeof(GElf_Versym) < count)
				versym = NULL;
		}
		for (size_t i = 1; i < count; i++) {
			GElf_Sym sym;
			if (!gelf_getsym(data, (int)i, &sym) ||
			    sym.st_shndx == SHN_UNDEF || sym.st_name == 0)
				continue;
			const char *name = elf_strptr(ef->elf, sh.sh_link,
						      sym.st_name);
			if (!name)
				continue;
			/* .symtab spells versions in the name: "f@V" is a
			 * hidden one, "f@@V" the default. */
			size_t len = strcspn(name, "@");
			if (len == 0)
				continue;
			bool hidden = name[len] == '@' && name[len + 1] != '@';
			GElf_Versym vs;
			if (versym && gelf_getversym(versym, (int)i, &vs))
				hidden = vs & VERSYM_HIDDEN_BIT;
			fn(ctx, &sym, name, len, hidden);
		}
	}
	return 0;
}

