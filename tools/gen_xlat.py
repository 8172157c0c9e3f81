#!/usr/bin/env python3
"""Turn ptrc's flag and enum tables (src/decode/xlat/*.tbl) into C.

  gen_xlat.py --header xlat_tables.h --source xlat_tables.c TABLE.tbl...

One table per file; the file name (without .tbl) names the table, and the C
object is `xlat_<name>`. A table file holds, outside `#` comments:

  include <fcntl.h>          headers that define the names (any number)
  flags|enum [OPTION...]     the header line: the table's kind
  NAME                       one entry a line, in print order:
  NAME FALLBACK              see below

Header options:
  zero=NAME      (flags) what a value of 0 prints as, instead of "0"
  unknown=TEXT   comment for values the table cannot name:
                 `0x4d /* MADV_??? */`

Entries. The value of an entry is the C macro (or enum constant) itself, so
it comes from the headers of the target being compiled: an aarch64 build
gets aarch64's O_DIRECTORY. An entry is left out when the headers lack the
name, unless it gives a FALLBACK, a number or C expression used when the
name is undefined, or, in a flags table, defined as 0 (glibc's O_LARGEFILE
on 64-bit targets). `NAME = EXPR` always uses EXPR (for names whose header
value is not what the kernel takes from every tracee, such as F_GETLK64).

Duplicate names and empty tables are errors.
"""
import argparse
import os
import re
import sys

NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
INCLUDE_RE = re.compile(r'^(<[^<>\s]+>|"[^"\s]+")$')


def fail(path, lineno, msg):
    sys.exit(f"{path}:{lineno}: {msg}")


def parse(path):
    name = os.path.basename(path)
    if not name.endswith(".tbl"):
        sys.exit(f"{path}: table files end in .tbl")
    name = name[:-4]
    if not NAME_RE.match(name):
        fail(path, 0, f"bad table name {name!r}")
    table = {"name": name, "path": path, "includes": [], "kind": None,
             "zero": None, "unknown": None, "entries": []}
    seen = set()
    with open(path) as f:
        for lineno, line in enumerate(f, 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            cols = line.split()
            if cols[0] == "include":
                if len(cols) != 2 or not INCLUDE_RE.match(cols[1]):
                    fail(path, lineno, "expected: include <header.h>")
                table["includes"].append(cols[1])
                continue
            if table["kind"] is None:
                if cols[0] not in ("flags", "enum"):
                    fail(path, lineno, "the first line must be: flags|enum [zero=NAME] [unknown=TEXT]")
                table["kind"] = cols[0]
                for opt in cols[1:]:
                    key, eq, val = opt.partition("=")
                    if not eq or key not in ("zero", "unknown") or not val:
                        fail(path, lineno, f"unknown option {opt!r}")
                    if key == "zero" and cols[0] != "flags":
                        fail(path, lineno, "zero= is for flags tables")
                    table[key] = val
                continue
            ent_name = cols[0]
            if not NAME_RE.match(ent_name):
                fail(path, lineno, f"bad name {ent_name!r}")
            if ent_name in seen:
                fail(path, lineno, f"duplicate name {ent_name}")
            seen.add(ent_name)
            if len(cols) == 1:
                table["entries"].append((ent_name, None, None))
            elif cols[1] == "=":
                if len(cols) < 3:
                    fail(path, lineno, "expected: NAME = EXPR")
                table["entries"].append((ent_name, None, " ".join(cols[2:])))
            elif len(cols) == 2:
                table["entries"].append((ent_name, cols[1], None))
            else:
                fail(path, lineno, "expected: NAME [FALLBACK] or NAME = EXPR")
    if table["kind"] is None or not table["entries"]:
        fail(path, 0, "empty table")
    return table


def c_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def emit_entry(out, table, name, fallback, expr):
    row = '\t{{ (uint64_t)({v}), "{n}" }},\n'
    if expr is not None:
        out.append(row.format(v=expr, n=name))
        return
    out.append(f"#ifdef {name}\n")
    if fallback is not None and table["kind"] == "flags":
        # a flag the target's header defines as 0 (O_LARGEFILE on 64-bit)
        # takes the fallback; compared with 0, not tested as a boolean,
        # which clang warns about for shifts (1UL << 0)
        value = (f"(uint64_t)({name}) != 0 ? (uint64_t)({name}) : "
                 f"(uint64_t)({fallback})")
        out.append(f'\t{{ {value}, "{name}" }},\n')
    else:
        out.append(row.format(v=name, n=name))
    if fallback is not None:
        out.append("#else\n")
        out.append(row.format(v=fallback, n=name))
    out.append("#endif\n")


def generate(tables, header_name):
    includes = []
    for t in tables:
        for inc in t["includes"]:
            if inc not in includes:
                includes.append(inc)
    src = ["/* Generated by tools/gen_xlat.py from src/decode/xlat/NAME.tbl: "
           "do not edit. */\n",
           "#include <stdint.h>\n"]
    src += [f"#include {inc}\n" for inc in includes]
    src.append(f'#include "{header_name}"\n\n')
    for t in tables:
        n = t["name"]
        src.append(f"/* {os.path.basename(t['path'])} */\n")
        src.append(f"static const struct xlat_entry {n}_entries[] = {{\n")
        for name, fallback, expr in t["entries"]:
            emit_entry(src, t, name, fallback, expr)
        src.append("\t{ 0, NULL }\n};\n")
        src.append(f"const struct xlat xlat_{n} = {{\n")
        src.append(f'\t.name = "{n}",\n')
        src.append(f"\t.entries = {n}_entries,\n")
        src.append(f"\t.count = sizeof({n}_entries) / sizeof({n}_entries[0]) - 1,\n")
        src.append(f"\t.type = XLAT_{t['kind'].upper()},\n")
        src.append("\t.zero = " + (c_string(t["zero"]) if t["zero"] else "NULL") + ",\n")
        src.append("\t.unknown = " + (c_string(t["unknown"]) if t["unknown"] else "NULL") + ",\n")
        src.append("};\n\n")
    src.append("const struct xlat *const xlat_all[] = {\n")
    src += [f"\t&xlat_{t['name']},\n" for t in tables]
    src.append("};\n")
    src.append(f"const unsigned xlat_all_count = {len(tables)};\n")

    hdr = ["/* Generated by tools/gen_xlat.py from src/decode/xlat/NAME.tbl: "
           "do not edit. */\n",
           "#ifndef PTRC_XLAT_TABLES_H\n#define PTRC_XLAT_TABLES_H\n\n",
           '#include "decode/xlat.h"\n\n']
    hdr += [f"extern const struct xlat xlat_{t['name']};\n" for t in tables]
    hdr.append("\n#endif\n")
    return "".join(hdr), "".join(src)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--header", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("tables", nargs="+")
    args = ap.parse_args()
    tables = [parse(p) for p in args.tables]
    names = [t["name"] for t in tables]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        sys.exit(f"gen_xlat.py: table given twice: {', '.join(sorted(dup))}")
    tables.sort(key=lambda t: t["name"])
    hdr, src = generate(tables, os.path.basename(args.header))
    for path, text in ((args.header, hdr), (args.source, src)):
        with open(path, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
