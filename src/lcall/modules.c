/* The ELF objects mapped in a process: its file-backed mappings (maps.c)
 * grouped by file, each with its load bias. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ptrc/lcall.h"
#include "elf_file.h"
#include "maps.h"

/* Program headers looked at when computing the load bias. */
#define PHDRS_MAX 4096

/* The load bias of the file mapped by MAPS[0..N): a PT_LOAD whose
 * page-aligned file offset is a mapping's offset was mapped there, so
 * bias = mapping start - page-aligned p_vaddr. Executable segments and
 * mappings are paired first: with -z noseparate-code two PT_LOADs may
 * share an aligned offset, and a stray read-only mmap of the file is not
 * the loaded image. */
static bool load_bias(Elf *elf, const struct lcall_mapping *maps, size_t n,
		      uint64_t *bias)
{
	size_t phnum;
	if (elf_getphdrnum(elf, &phnum) != 0)
		return false;
	if (phnum > PHDRS_MAX)
		phnum = PHDRS_MAX;
	uint64_t mask = ~((uint64_t)sysconf(_SC_PAGESIZE) - 1);
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < phnum; i++) {
			GElf_Phdr ph;
			if (!gelf_getphdr(elf, (int)i, &ph) || ph.p_type != PT_LOAD)
				continue;
			bool px = ph.p_flags & PF_X;
			for (size_t j = 0; j < n; j++) {
				if (pass == 0 && !(px && maps[j].exec))
					continue;
				if (maps[j].offset == (ph.p_offset & mask)) {
					*bias = maps[j].start - (ph.p_vaddr & mask);
					return true;
				}
			}
		}
	}
	return false;
}

/* Makes MOD from the mappings MAPS[0..N) of one file. Returns 1 when it
 * is an ELF object with an executable mapping, 0 when not, -1 when out of
 * memory. */
static int make_module(pid_t pid, const struct lcall_mapping *maps, size_t n,
		       struct lcall_module *mod)
{
	const struct lcall_mapping *x = NULL;
	for (size_t i = 0; i < n && !x; i++)
		if (maps[i].exec)
			x = &maps[i];
	if (!x)
		return 0;
	struct lcall_elf ef;
	if (lcall_elf_open(pid, x->path, x->start, x->end, &ef) != 0)
		return 0;
	uint64_t bias;
	bool ok = load_bias(ef.elf, maps, n, &bias);
	lcall_elf_close(&ef);
	if (!ok)
		return 0;
	*mod = (struct lcall_module){
		.path = strdup(x->path),
		.start = maps[0].start,
		.end = maps[0].end,
		.bias = bias,
		.map_start = x->start,
		.map_end = x->end,
		.dev = x->dev,
		.ino = x->ino,
	};
	if (!mod->path)
		return -1;
	const char *slash = strrchr(mod->path, '/');
	mod->name = slash ? slash + 1 : mod->path;
	for (size_t i = 1; i < n; i++)
		if (maps[i].end > mod->end)
			mod->end = maps[i].end;
	return 1;
}

static int module_order(const void *a, const void *b)
{
	const struct lcall_module *x = a, *y = b;
	return (x->start > y->start) - (x->start < y->start);
}

int lcall_modules_read(pid_t pid, struct lcall_module **mods, size_t *count)
{
	struct lcall_mapping *maps;
	size_t nmaps;
	*mods = NULL;
	*count = 0;
	if (lcall_maps_read(pid, &maps, &nmaps) != 0)
		return -1;

	struct lcall_module *out = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;
	for (size_t i = 0; i < nmaps;) {
		size_t j = i + 1;
		while (j < nmaps && lcall_maps_same_file(&maps[i], &maps[j]))
			j++;
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 32;
			struct lcall_module *nm = realloc(out, ncap * sizeof *nm);
			if (!nm) {
				rc = -1;
				break;
			}
			out = nm;
			cap = ncap;
		}
		int made = make_module(pid, &maps[i], j - i, &out[n]);
		if (made < 0) {
			rc = -1;
			break;
		}
		n += (size_t)made;
		i = j;
	}
	lcall_maps_free(maps, nmaps);
	if (rc != 0) {
		lcall_modules_free(out, n);
		errno = ENOMEM;
		return -1;
	}
	if (n > 1)
		qsort(out, n, sizeof *out, module_order);
	*mods = out;
	*count = n;
	return 0;
}

void lcall_modules_free(struct lcall_module *mods, size_t count)
{
	for (size_t i = 0; i < count; i++)
		free(mods[i].path);
	free(mods);
}

const struct lcall_module *lcall_module_at(const struct lcall_module *mods,
					   size_t count, uint64_t addr)
{
	/* The last module starting at or below ADDR. */
	size_t lo = 0, hi = count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (mods[mid].start <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0 || addr >= mods[lo - 1].end)
		return NULL;
	return &mods[lo - 1];
}

