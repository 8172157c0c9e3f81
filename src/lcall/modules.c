/* The ELF objects mapped in a process (/proc/PID/maps grouped by file,
 * with their load bias) and their function symbols (.dynsym, .symtab).
 * The files come from the tracee's side and may be anything: every size
 * and index read from them is bounded before use. */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "ptrc/lcall.h"

/* A maps line longer than this (fields and a PATH_MAX path fit) is
 * skipped. */
#define MAPS_LINE_MAX (PATH_MAX + 256)
/* Program headers looked at when computing the load bias. */
#define PHDRS_MAX 4096
/* .gnu.version: the bit of a non-default version (not in every elf.h). */
#define VERSYM_HIDDEN_BIT 0x8000

/* One file-backed line of /proc/PID/maps. */
struct mapping {
	uint64_t start, end, offset;
	dev_t dev;
	ino_t ino;
	bool exec;
	char *path;
};

/* ---- reading /proc/PID/maps ---- */

/* Hex number of 1 to 16 digits at *S; advances *S past it. */
static bool parse_hex(const char **s, uint64_t *out)
{
	uint64_t v = 0;
	int n = 0;
	for (const char *p = *s;; p++, n++) {
		int d;
		if (*p >= '0' && *p <= '9')
			d = *p - '0';
		else if (*p >= 'a' && *p <= 'f')
			d = *p - 'a' + 10;
		else if (*p >= 'A' && *p <= 'F')
			d = *p - 'A' + 10;
		else
			break;
		if (n == 16)
			return false;
		v = v << 4 | (uint64_t)d;
	}
	if (n == 0)
		return false;
	*s += n;
	*out = v;
	return true;
}

static bool parse_dec(const char **s, uint64_t *out)
{
	uint64_t v = 0;
	int n = 0;
	for (const char *p = *s; *p >= '0' && *p <= '9'; p++, n++) {
		uint64_t d = (uint64_t)(*p - '0');
		if (v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	if (n == 0)
		return false;
	*s += n;
	*out = v;
	return true;
}

static bool expect(const char **s, char c)
{
	if (**s != c)
		return false;
	(*s)++;
	return true;
}

/* "START-END PERMS OFFSET MAJOR:MINOR INODE   PATH". Returns true with M
 * filled (path not copied: *PATH points into LINE) for a well-formed
 * line. */
static bool parse_maps_line(const char *s, struct mapping *m,
			    const char **path)
{
	uint64_t major, minor, ino;
	if (!parse_hex(&s, &m->start) || !expect(&s, '-') ||
	    !parse_hex(&s, &m->end) || !expect(&s, ' '))
		return false;
	if (strnlen(s, 5) < 5 || s[4] != ' ')
		return false;
	m->exec = s[2] == 'x';
	s += 5;
	if (!parse_hex(&s, &m->offset) || !expect(&s, ' ') ||
	    !parse_hex(&s, &major) || !expect(&s, ':') ||
	    !parse_hex(&s, &minor) || !expect(&s, ' ') ||
	    !parse_dec(&s, &ino))
		return false;
	if (major > UINT32_MAX || minor > UINT32_MAX || m->end <= m->start)
		return false;
	while (*s == ' ' || *s == '\t')
		s++;
	m->dev = makedev((unsigned)major, (unsigned)minor);
	m->ino = (ino_t)ino;
	*path = s;
	return true;
}

/* Reads one line into BUF (newline removed). Returns false at the end of
 * the file; *WHOLE is false for a line too long for BUF (its rest is
 * consumed). */
static bool read_line(FILE *f, char *buf, size_t size, bool *whole)
{
	if (!fgets(buf, (int)size, f))
		return false;
	size_t len = strlen(buf);
	*whole = true;
	if (len > 0 && buf[len - 1] == '\n') {
		buf[len - 1] = '\0';
		return true;
	}
	if (feof(f))
		return true;
	*whole = false;
	char rest[256];
	while (fgets(rest, sizeof rest, f)) {
		size_t n = strlen(rest);
		if (n > 0 && rest[n - 1] == '\n')
			break;
	}
	return true;
}

static void free_mappings(struct mapping *maps, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(maps[i].path);
	free(maps);
}

/* The file-backed mappings of PID (inode and an absolute path: not
 * anonymous memory, [vdso], [heap]...). */
static int read_mappings(pid_t pid, struct mapping **out, size_t *count)
{
	char name[64];
	snprintf(name, sizeof name, "/proc/%d/maps", (int)pid);
	FILE *f = fopen(name, "re");
	if (!f)
		return -1;
	char *line = malloc(MAPS_LINE_MAX);
	struct mapping *maps = NULL;
	size_t n = 0, cap = 0;
	bool whole;
	int err = line ? 0 : ENOMEM;
	while (!err && read_line(f, line, MAPS_LINE_MAX, &whole)) {
		struct mapping m;
		const char *path;
		if (!whole || !parse_maps_line(line, &m, &path) ||
		    m.ino == 0 || path[0] != '/')
			continue;
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			struct mapping *nm = realloc(maps, ncap * sizeof *nm);
			if (!nm) {
				err = ENOMEM;
				break;
			}
			maps = nm;
			cap = ncap;
		}
		m.path = strdup(path);
		if (!m.path)
			err = ENOMEM;
		else
			maps[n++] = m;
	}
	if (!err && ferror(f))
		err = errno ? errno : EIO;
	fclose(f);
	free(line);
	if (err) {
		free_mappings(maps, n);
		errno = err;
		return -1;
	}
	*out = maps;
	*count = n;
	return 0;
}

/* Same file (dev, inode, path), then address order. */
static int mapping_order(const void *a, const void *b)
{
	const struct mapping *x = a, *y = b;
	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	int c = strcmp(x->path, y->path);
	if (c != 0)
		return c;
	return (x->start > y->start) - (x->start < y->start);
}

static bool same_file(const struct mapping *x, const struct mapping *y)
{
	return x->dev == y->dev && x->ino == y->ino &&
	       strcmp(x->path, y->path) == 0;
}

/* ---- opening a mapped file as ELF ---- */

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

struct elf_file {
	int fd;
	Elf *elf;
	uint64_t size;  /* of the file: bounds every section read */
};

static int elf_file_open(pid_t pid, const char *path, uint64_t start,
			 uint64_t end, struct elf_file *ef)
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

static void elf_file_close(struct elf_file *ef)
{
	elf_end(ef->elf);
	close(ef->fd);
}

/* Do the contents of the section with header SH lie inside the file? */
static bool section_in_file(const struct elf_file *ef, const GElf_Shdr *sh)
{
	if (sh->sh_type == SHT_NOBITS)
		return false;
	return sh->sh_offset <= ef->size && sh->sh_size <= ef->size - sh->sh_offset;
}

/* ---- modules ---- */

/* The load bias of the file mapped by MAPS[0..N): a PT_LOAD whose
 * page-aligned file offset is a mapping's offset was mapped there, so
 * bias = mapping start - page-aligned p_vaddr. Executable segments and
 * mappings are paired first: with -z noseparate-code two PT_LOADs may
 * share an aligned offset, and a stray read-only mmap of the file is not
 * the loaded image. */
static bool load_bias(Elf *elf, const struct mapping *maps, size_t n,
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
static int make_module(pid_t pid, const struct mapping *maps, size_t n,
		       struct lcall_module *mod)
{
	const struct mapping *x = NULL;
	for (size_t i = 0; i < n && !x; i++)
		if (maps[i].exec)
			x = &maps[i];
	if (!x)
		return 0;
	struct elf_file ef;
	if (elf_file_open(pid, x->path, x->start, x->end, &ef) != 0)
		return 0;
	uint64_t bias;
	bool ok = load_bias(ef.elf, maps, n, &bias);
	elf_file_close(&ef);
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
	struct mapping *maps;
	size_t nmaps;
	*mods = NULL;
	*count = 0;
	if (read_mappings(pid, &maps, &nmaps) != 0)
		return -1;
	if (nmaps > 1)
		qsort(maps, nmaps, sizeof *maps, mapping_order);

	struct lcall_module *out = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;
	for (size_t i = 0; i < nmaps;) {
		size_t j = i + 1;
		while (j < nmaps && same_file(&maps[i], &maps[j]))
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
	free_mappings(maps, nmaps);
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

/* ---- symbols ---- */

/* One defined symbol as walk_symbols reports it: NAME is LEN bytes, the
 * symbol's name up to any "@VERSION"; HIDDEN: a non-default version. */
typedef void (*sym_visit)(void *ctx, const GElf_Sym *sym, const char *name,
			  size_t len, bool hidden);

/* The .gnu.version data that goes with symbol table section SYMNDX, or
 * NULL. */
static Elf_Data *versym_for(const struct elf_file *ef, size_t symndx)
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

/* Calls FN for each defined symbol of the .dynsym and .symtab sections.
 * Returns -1 when the section headers cannot be read. */
static int walk_symbols(const struct elf_file *ef, sym_visit fn, void *ctx)
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

/* A function symbol seen by lcall_module_functions. */
struct func_sym {
	uint64_t addr;
	const char *name;  /* LEN bytes, not terminated at LEN */
	size_t len;
	bool ifunc;
	bool selected;
};

struct func_walk {
	const struct lcall_module *m;
	const struct lcall_patterns *patterns;
	struct func_sym *syms;
	size_t count, cap;
	char *scratch;  /* a terminated copy of a versioned name */
	size_t scratch_cap;
	bool failed;
};

/* NAME's first LEN bytes, terminated: NAME itself when it ends there. */
static const char *terminated(struct func_walk *w, const char *name,
			      size_t len)
{
	if (name[len] == '\0')
		return name;
	if (len + 1 > w->scratch_cap) {
		char *s = realloc(w->scratch, len + 1);
		if (!s)
			return NULL;
		w->scratch = s;
		w->scratch_cap = len + 1;
	}
	memcpy(w->scratch, name, len);
	w->scratch[len] = '\0';
	return w->scratch;
}

static void on_func_sym(void *ctx, const GElf_Sym *sym, const char *name,
			size_t len, bool hidden)
{
	(void)hidden;
	struct func_walk *w = ctx;
	int type = GELF_ST_TYPE(sym->st_info);
	if (w->failed || (type != STT_FUNC && type != STT_GNU_IFUNC) ||
	    sym->st_value == 0 || sym->st_shndx == SHN_ABS)
		return;
	/* A function outside the module's mappings is garbage. */
	uint64_t addr = sym->st_value + w->m->bias;
	if (addr < w->m->start || addr >= w->m->end)
		return;
	const char *plain = terminated(w, name, len);
	if (!plain) {
		w->failed = true;
		return;
	}
	if (w->count == w->cap) {
		size_t ncap = w->cap ? w->cap * 2 : 256;
		struct func_sym *ns = realloc(w->syms, ncap * sizeof *ns);
		if (!ns) {
			w->failed = true;
			return;
		}
		w->syms = ns;
		w->cap = ncap;
	}
	w->syms[w->count++] = (struct func_sym){
		.addr = addr,
		.name = name,
		.len = len,
		.ifunc = type == STT_GNU_IFUNC,
		.selected = lcall_patterns_match(w->patterns, w->m->path, plain),
	};
}

static int func_sym_order(const void *a, const void *b)
{
	const struct func_sym *x = a, *y = b;
	return (x->addr > y->addr) - (x->addr < y->addr);
}

/* Of two aliases, is A the better name: no leading underscore, then
 * shorter, then alphabetical (so the choice does not depend on order)? */
static bool better_name(const struct func_sym *a, const struct func_sym *b)
{
	bool ua = a->name[0] == '_', ub = b->name[0] == '_';
	if (ua != ub)
		return !ua;
	if (a->len != b->len)
		return a->len < b->len;
	return memcmp(a->name, b->name, a->len) < 0;
}

int lcall_module_functions(pid_t pid, const struct lcall_module *m,
			   const struct lcall_patterns *patterns,
			   lcall_func_cb cb, void *ctx)
{
	struct elf_file ef;
	if (elf_file_open(pid, m->path, m->map_start, m->map_end, &ef) != 0)
		return -1;
	struct func_walk w = { .m = m, .patterns = patterns };
	int rc = walk_symbols(&ef, on_func_sym, &w);
	if (rc == 0 && w.failed) {
		errno = ENOMEM;
		rc = -1;
	}
	if (rc == 0) {
		if (w.count > 1)
			qsort(w.syms, w.count, sizeof *w.syms, func_sym_order);
		for (size_t i = 0; i < w.count;) {
			/* The aliases at one address: [i, j). */
			size_t j = i;
			const struct func_sym *best = NULL;
			bool ifunc = false;  /* the address is a resolver */
			for (; j < w.count && w.syms[j].addr == w.syms[i].addr; j++) {
				ifunc |= w.syms[j].ifunc;
				if (w.syms[j].selected &&
				    (!best || better_name(&w.syms[j], best)))
					best = &w.syms[j];
			}
			i = j;
			if (!best)
				continue;
			const char *name = terminated(&w, best->name, best->len);
			if (!name) {
				errno = ENOMEM;
				rc = -1;
				break;
			}
			cb(ctx, m, name, best->addr, ifunc);
			rc++;
		}
	}
	free(w.syms);
	free(w.scratch);
	elf_file_close(&ef);
	return rc;
}

struct symbol_find {
	const char *name;
	size_t len;
	uint64_t value;
	bool found, found_default;
};

static void on_symbol(void *ctx, const GElf_Sym *sym, const char *name,
		      size_t len, bool hidden)
{
	struct symbol_find *f = ctx;
	int type = GELF_ST_TYPE(sym->st_info);
	/* Not addresses: absolute values and thread-local offsets. */
	if (len != f->len || memcmp(name, f->name, len) != 0 ||
	    sym->st_value == 0 || sym->st_shndx == SHN_ABS || type == STT_TLS)
		return;
	/* The default version wins, as for the dynamic linker. */
	if (f->found_default || (f->found && hidden))
		return;
	f->value = sym->st_value;
	f->found = true;
	f->found_default = !hidden;
}

uint64_t lcall_module_symbol(pid_t pid, const struct lcall_module *m,
			     const char *name)
{
	struct elf_file ef;
	if (elf_file_open(pid, m->path, m->map_start, m->map_end, &ef) != 0)
		return 0;
	struct symbol_find f = { .name = name, .len = strlen(name) };
	int rc = walk_symbols(&ef, on_symbol, &f);
	elf_file_close(&ef);
	if (rc != 0 || !f.found)
		return 0;
	return f.value + m->bias;
}
