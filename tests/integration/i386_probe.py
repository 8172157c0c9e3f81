#!/usr/bin/python3
"""Does this kernel run i386 programs? Asked once per test run, by running
one (a kernel without IA-32 emulation refuses it with ENOEXEC), never by
guessing from /proc or the kernel version.

    i386_probe.py BUILD     prints native, refused or absent

native: i386 programs run here. refused: they are built but the kernel
will not execute them (their tests run in the x86_64 guest, tests/guest).
absent: no -m32 build (no gcc-multilib; their tests skip)."""
import errno
import os
import subprocess
import sys


def probe(build):
    program = os.path.join(build, "fixtures", "i386_probe-m32")
    if not os.path.exists(program):
        return "absent"
    try:
        done = subprocess.run([program], capture_output=True, timeout=30)
    except OSError as e:
        if e.errno == errno.ENOEXEC:
            return "refused"
        raise
    if done.returncode == 0 and done.stdout == b"i386\n":
        return "native"
    raise SystemExit("i386_probe: %s ran but said %r (status %d)" %
                     (program, done.stdout, done.returncode))


if __name__ == "__main__":
    print(probe(sys.argv[1]))
