#!/usr/bin/env python3
"""Print the syscall numbers the kernel UAPI headers define for an arch.

Usage: kernel_syscall_numbers.py ARCH   (x86_64, i386, aarch64)
Prints "NUMBER NAME" lines, sorted by number. Used to seed
arch/<arch>/syscalls.tbl and, by the unit test, to check it.
"""
import re
import subprocess
import sys

HEADERS = {
    "x86_64": (["-I/usr/include/x86_64-linux-gnu"], "#include <asm/unistd_64.h>\n"),
    "i386": (["-I/usr/include/x86_64-linux-gnu"], "#include <asm/unistd_32.h>\n"),
    # arm64's asm/unistd.h sets the __ARCH_WANT_* switches and includes the
    # generic table; linux-libc-dev-arm64-cross ships it.
    "aarch64": (["-nostdinc", "-I/usr/aarch64-linux-gnu/include"],
                "#include <asm/unistd.h>\n"),
}


def numbers(arch):
    flags, source = HEADERS[arch]
    out = subprocess.run(["cpp", "-dM", *flags, "-"], input=source,
                         capture_output=True, text=True, check=True).stdout
    macros = {}
    for line in out.splitlines():
        m = re.match(r"#define (\w+) (.*)$", line)
        if m:
            macros[m.group(1)] = m.group(2).strip()

    def value(expr, depth=0):
        expr = expr.strip()
        if expr.startswith("(") and expr.endswith(")"):
            expr = expr[1:-1]
        if re.fullmatch(r"\d+", expr):
            return int(expr)
        if depth < 10 and expr in macros:
            return value(macros[expr], depth + 1)
        m = re.fullmatch(r"(\w+)\s*\+\s*(\d+)", expr)
        if m:
            base = value(m.group(1), depth + 1)
            return None if base is None else base + int(m.group(2))
        return None

    table = {}
    for name, expr in macros.items():
        if not name.startswith("__NR_") or name == "__NR_syscalls":
            continue
        nr = value(expr)
        if nr is not None:
            table[name[len("__NR_"):]] = nr
    return table


def main():
    arch = sys.argv[1]
    for name, nr in sorted(numbers(arch).items(), key=lambda kv: kv[1]):
        print(nr, name)


if __name__ == "__main__":
    main()
