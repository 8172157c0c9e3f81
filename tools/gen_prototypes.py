#!/usr/bin/env python3
"""Turn the library-call prototypes (src/lcall/prototypes.tbl) into C.

  gen_prototypes.py --source OUT.c prototypes.tbl --xlat src/decode/xlat/*.tbl

The syntax is documented at the top of prototypes.tbl. The output is
lcall_protos[] (struct lcall_proto, src/lcall/proto.h), sorted by name for
bsearch. Any error names the .tbl file and line and fails the build.
"""
import argparse
import os
import re
import sys

MAX_ARGS = 6
IDENT_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# TYPE or TYPE(PARAM), then an optional parameter name
ARG_RE = re.compile(r"^([a-z_]+)(?:\(\s*([^()]*?)\s*\))?(?:\s+([A-Za-z_][A-Za-z0-9_]*))?$")
LINE_RE = re.compile(r"^(\S+(?:\([^()]*\))?)\s+([A-Za-z_][A-Za-z0-9_]*)\s*\((.*)\)$")

# What each type takes in parentheses:
#   None       nothing
#   "len"      a length: NAME, *NAME or ret (which of them: LEN_FORMS)
#   "arg"      another argument, by NAME
#   "flags"    a flags table of src/decode/xlat
#   "enum"     an enum table of src/decode/xlat
# and where it may appear: "arg", "ret" or "both".
TYPES = {
    "int": (None, "both"), "uint": (None, "both"), "long": (None, "both"),
    "ulong": (None, "both"), "hex": (None, "both"), "ptr": (None, "both"),
    "bool": (None, "both"), "fd": (None, "both"), "errnum": (None, "both"),
    "eai": (None, "both"), "mode": (None, "arg"), "oflags": (None, "arg"),
    "sock_type": (None, "arg"), "sock_proto": ("arg", "arg"),
    "syslog_pri": (None, "arg"), "flags": ("flags", "both"),
    "enum": ("enum", "both"),
    "str": (None, "both"), "path": (None, "both"), "fmt": (None, "arg"),
    "ibuf": ("len", "arg"), "sockaddr": ("len", "arg"),
    "addrinfo": (None, "arg"), "argv": (None, "arg"), "envp": (None, "arg"),
    "hostent": (None, "both"), "passwd": (None, "both"),
    "group": (None, "both"),
    "obuf": ("len", "arg"), "ostr": ("len?", "arg"), "int_out": (None, "arg"),
    "size_out": (None, "arg"), "socklen_out": (None, "arg"),
    "sockaddr_out": ("len", "arg"), "addrinfo_out": (None, "arg"),
    "strp_out": (None, "arg"),
    "void": (None, "ret"),
}
# Other spellings of a type.
ALIASES = {"size": "ulong", "ssize": "long"}
# Which forms of a length each type accepts.
LEN_FORMS = {"ibuf": {"arg", "deref"}, "sockaddr": {"arg", "deref"},
             "obuf": {"arg", "deref", "ret"}, "ostr": {"arg"},
             "sockaddr_out": {"arg", "deref"}}
# The types a *NAME length reads through.
DEREF_TYPES = {"int_out", "size_out", "socklen_out"}
# Return types whose value can be a length (ret).
NUMERIC_RETS = {"int", "uint", "long", "ulong", "bool"}


class TblError(Exception):
    pass


def read_xlat(paths):
    """The kind (flags or enum) of each xlat table (the ones built), by
    name."""
    kinds = {}
    for path in paths:
        name = os.path.basename(path)
        if not name.endswith(".tbl"):
            sys.exit(f"{path}: table files end in .tbl")
        with open(path) as f:
            for line in f:
                cols = line.split("#", 1)[0].split()
                if cols and cols[0] != "include":
                    kinds[name[:-4]] = cols[0]
                    break
    return kinds


def split_args(text):
    """Split on the commas outside parentheses."""
    parts, depth, cur = [], 0, ""
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(cur.strip())
            cur = ""
        else:
            cur += ch
    if cur.strip() or parts:
        parts.append(cur.strip())
    return parts


def parse_type(text, xlat_kinds):
    """TYPE or TYPE(PARAM) [NAME] -> (type, param, name)."""
    m = ARG_RE.match(text)
    if not m:
        raise TblError(f"cannot read {text!r}: expected TYPE, TYPE(PARAM) "
                       "or either followed by a name")
    typ, param, name = m.group(1), m.group(2), m.group(3)
    typ = ALIASES.get(typ, typ)
    if typ not in TYPES:
        raise TblError(f"unknown type {m.group(1)!r}")
    takes = TYPES[typ][0]
    if param is None and takes not in (None, "len?"):
        raise TblError(f"{typ} needs a parameter: {typ}(...)")
    if param is not None and takes is None:
        raise TblError(f"{typ} takes no parameter")
    if takes in ("flags", "enum") and param is not None:
        if param not in xlat_kinds:
            raise TblError(f"no table {param} (src/decode/xlat/{param}.tbl, "
                           "listed in its meson.build)")
        if xlat_kinds[param] != takes:
            raise TblError(f"table {param} is of kind {xlat_kinds[param]}, "
                           f"not {takes}")
    return typ, param, name


def resolve_ref(typ, param, names, args, ret_type):
    """A length or argument parameter -> (LREF_*, index)."""
    takes = TYPES[typ][0]
    if param is None:
        return "LREF_NONE", 0
    forms = LEN_FORMS.get(typ, {"arg"})
    if param == "ret":
        if "ret" not in forms:
            raise TblError(f"{typ} cannot take its length from the return "
                           "value (it prints before the call returns)")
        if ret_type not in NUMERIC_RETS:
            raise TblError(f"ret as a length needs a number return type, "
                           f"not {ret_type}")
        return "LREF_RET", 0
    deref = param.startswith("*")
    name = param[1:].strip() if deref else param
    if name not in names:
        raise TblError(f"{param!r}: no argument named {name!r}")
    index = names[name]
    ref_type = args[index][0]
    if deref:
        if "deref" not in forms:
            raise TblError(f"{typ} cannot take *NAME")
        if ref_type not in DEREF_TYPES:
            raise TblError(f"*{name}: {name} must be one of "
                           f"{', '.join(sorted(DEREF_TYPES))}")
        return "LREF_DEREF", index
    if takes in ("len", "len?") and ref_type not in NUMERIC_RETS:
        raise TblError(f"{name} is no number ({ref_type}) to be a length")
    return "LREF_ARG", index


def parse_line(line, xlat_kinds):
    m = LINE_RE.match(line)
    if not m:
        raise TblError("expected: RET NAME(ARG, ...)")
    ret_text, fname, args_text = m.groups()
    ret_type, ret_param, ret_name = parse_type(ret_text, xlat_kinds)
    if ret_name is not None:
        raise TblError("the return type takes no name")
    if TYPES[ret_type][1] == "arg":
        raise TblError(f"{ret_type} is no return type")
    parts = split_args(args_text)
    if parts == ["void"]:
        parts = []
    variadic = False
    if parts and parts[-1] == "...":
        variadic = True
        parts.pop()
    if "..." in parts:
        raise TblError("... comes last")
    if "" in parts:
        raise TblError("empty argument")
    if len(parts) > MAX_ARGS:
        raise TblError(f"more than {MAX_ARGS} arguments (registers): list "
                       "the first ones and end with ...")
    args, names = [], {}
    for i, part in enumerate(parts):
        typ, param, name = parse_type(part, xlat_kinds)
        if TYPES[typ][1] == "ret":
            raise TblError(f"{typ} is no argument type")
        if name is not None:
            if name == "ret":
                raise TblError("ret names the return value: rename the argument")
            if name in names:
                raise TblError(f"argument name {name!r} used twice")
            names[name] = i
        args.append((typ, param, name))
    out = []
    for i, (typ, param, name) in enumerate(args):
        takes = TYPES[typ][0]
        table = None
        ref = ("LREF_NONE", 0)
        if takes in ("flags", "enum"):
            table = param
        else:
            ref = resolve_ref(typ, param, names, args, ret_type)
            if ref[0] in ("LREF_ARG", "LREF_DEREF") and ref[1] == i:
                raise TblError(f"argument {name or i} refers to itself")
        out.append((typ, ref, table))
    if sum(1 for a in args if a[0] == "fmt") > 1:
        raise TblError("more than one fmt argument")
    ret = (ret_type, ("LREF_NONE", 0), ret_param)
    return fname, ret, out, variadic


def parse(path, xlat_kinds):
    protos = {}
    with open(path) as f:
        for lineno, line in enumerate(f, 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            try:
                fname, ret, args, variadic = parse_line(line, xlat_kinds)
                if fname in protos:
                    raise TblError(f"{fname} declared twice (first on line "
                                   f"{protos[fname][0]})")
            except TblError as e:
                sys.exit(f"{path}:{lineno}: {e}")
            protos[fname] = (lineno, ret, args, variadic)
    if not protos:
        sys.exit(f"{path}: no prototypes")
    return protos


def c_arg(arg):
    typ, (ref, index), table = arg
    fields = [f".type = LT_{typ.upper()}"]
    if ref != "LREF_NONE":
        fields.append(f".ref = {ref}")
        if ref != "LREF_RET":
            fields.append(f".index = {index}")
    if table:
        fields.append(f".table = &xlat_{table}")
    return "{ " + ", ".join(fields) + " }"


def generate(protos, tbl_name):
    out = [f"/* Generated by tools/gen_prototypes.py from {tbl_name}: "
           "do not edit. */\n",
           '#include "proto.h"\n',
           '#include "xlat_tables.h"\n\n',
           "const struct lcall_proto lcall_protos[] = {\n"]
    # strcmp order: compare the names as bytes
    for name in sorted(protos, key=lambda n: n.encode()):
        _, ret, args, variadic = protos[name]
        out.append(f'\t{{ .name = "{name}", .ret = {c_arg(ret)},\n')
        out.append(f"\t  .nargs = {len(args)}"
                   + (", .variadic = true" if variadic else ""))
        if args:
            out.append(",\n\t  .args = {\n")
            out.append("".join(f"\t\t{c_arg(a)},\n" for a in args))
            out.append("\t  }")
        out.append(" },\n")
    out.append("};\n")
    out.append(f"const unsigned lcall_proto_count = {len(protos)};\n")
    return "".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--source", required=True)
    ap.add_argument("table")
    ap.add_argument("--xlat", nargs="+", required=True, metavar="XLAT_TBL",
                    help="the flag and enum tables (src/decode/xlat)")
    args = ap.parse_args()
    protos = parse(args.table, read_xlat(args.xlat))
    text = generate(protos, os.path.basename(args.table))
    with open(args.source, "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
