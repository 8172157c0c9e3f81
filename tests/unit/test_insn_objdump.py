#!/usr/bin/python3
"""The x86-64 length decoder (src/lcall/insn_x86_64.c) against objdump.

objdump disassembles the code of a few system libraries; every instruction
it decodes goes, with the 15 bytes after it, through insn_lengths (one
process for all of them), and both lengths must agree. objdump's "(bad)",
data (.byte) and lone prefix lines are skipped, and so are the few places
where objdump's length is not the CPU's (objdump_differs; these occur in
data within .text). Exit 77 (skipped) when there is no objdump or no x86-64
library to read.

usage: test_insn_objdump.py INSN_LENGTHS [LIBRARY...]
"""
import os
import re
import shutil
import subprocess
import sys
from collections import Counter

LIBRARIES = [
    '/lib/x86_64-linux-gnu/libc.so.6',
    '/lib/x86_64-linux-gnu/libssl.so.3',
    '/lib/x86_64-linux-gnu/libcrypto.so.3',
    '/lib64/ld-linux-x86-64.so.2',
]

# "   26000:\tff 35 ea cf 1a 00    \tpush   0x1acfea(%rip)  # ..."
LINE = re.compile(r'^\s*([0-9a-f]+):\t([0-9a-f ]+)\t(.*)$')
SKIP = 77
CONTEXT = 15


def disassemble(paths):
    """Start objdump on every path at once; yield (path, output lines)."""
    procs = [(p, subprocess.Popen(['objdump', '-d', '-w', '-z', p],
                                  stdout=subprocess.PIPE, text=True))
             for p in paths]
    for path, proc in procs:
        out, _ = proc.communicate()
        if proc.returncode != 0:
            sys.exit(f'objdump -d {path} failed')
        yield path, out.splitlines()


def instructions(lines):
    """(address, bytes, text, context) of each instruction line, CONTEXT
    the bytes after it (objdump -z prints every byte of a code section, so
    the lines that follow give them)."""
    insns = []   # (address, bytes, text, run, offset in run)
    runs = []    # bytes of contiguous lines
    run = bytearray()
    end = None
    for line in lines:
        m = LINE.match(line)
        if not m:
            continue
        addr = int(m.group(1), 16)
        raw = bytes.fromhex(m.group(2))
        if addr != end:
            run = bytearray()
            runs.append(run)
        insns.append((addr, raw, m.group(3).strip(), len(runs) - 1, len(run)))
        run += raw
        end = addr + len(raw)
    for addr, raw, text, r, offset in insns:
        start = offset + len(raw)
        yield addr, raw, text, bytes(runs[r][start:start + CONTEXT])


# Prefixes objdump prints alone on a line when another prefix follows
# (a REX before a REX, often in data): the CPU folds them into the next
# instruction, objdump does not, so such lines are not comparable.
PREFIXES = {'rex', 'data16', 'addr32', 'lock', 'rep', 'repz', 'repnz',
            'cs', 'ds', 'es', 'ss', 'fs', 'gs', 'bnd', 'notrack'}


def is_real(text):
    """An instruction, not "(bad)", data (.byte) or a lone prefix."""
    if not text or '(bad)' in text or text.startswith('.'):
        return False
    words = text.split()
    if words[0].split('.')[0] not in PREFIXES:
        return True
    return not all(w.split('.')[0] in PREFIXES for w in words)


LEGACY_PREFIXES = {0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65, 0x66, 0x67, 0xf0,
                   0xf2, 0xf3}


def objdump_differs(raw, ours):
    """Why objdump's length for RAW is not the CPU's, where OURS (our
    length, -1: no decoding) is the CPU's; None when it should be the same.
    """
    i = 0
    while i < len(raw) - 1 and (raw[i] in LEGACY_PREFIXES or
                                0x40 <= raw[i] <= 0x4f):
        i += 1
    prefixes, op = raw[:i], raw[i]
    if raw[0] == 0x9b and ours == 1:
        return 'fwait folded into the next x87 instruction by objdump'
    if ours == -1 and op in (0xc4, 0xc5, 0x62, 0x8f) and any(
            b in (0x66, 0xf0, 0xf2, 0xf3) or 0x40 <= b <= 0x4f
            for b in prefixes):
        return 'REX, 66, F0, F2 or F3 before VEX/EVEX/XOP (#UD)'
    rel32 = op in (0xe8, 0xe9) or (op == 0x0f and 0x80 <= raw[i + 1] <= 0x8f)
    if ours == -1 and 0x66 in prefixes and rel32:
        return '66 on a rel32 branch (rel16 on AMD, rel32 on Intel)'
    return None


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    tool = sys.argv[1]
    paths = [p for p in (sys.argv[2:] or LIBRARIES) if os.path.exists(p)]
    if not shutil.which('objdump') or not paths:
        print('no objdump or no x86-64 library: skipped')
        return SKIP

    checked = []   # (path, addr, raw, text)
    feed = []
    skipped = 0
    for path, lines in disassemble(paths):
        for addr, raw, text, tail in instructions(lines):
            if not is_real(text):
                skipped += 1
                continue
            checked.append((path, addr, raw, text))
            feed.append((raw + tail).hex())

    result = subprocess.run([tool], input='\n'.join(feed) + '\n',
                            capture_output=True, text=True, check=True)
    answers = result.stdout.split('\n')[:len(checked)]
    if len(answers) != len(checked):
        sys.exit(f'{tool}: {len(answers)} answers for {len(checked)} lines')

    kinds = Counter()
    differs = Counter()
    mismatches = []
    for (path, addr, raw, text), answer in zip(checked, answers):
        length, kind = answer.split()
        length = int(length)
        kinds[kind] += 1
        if length == len(raw):
            continue
        reason = objdump_differs(raw, length)
        if reason:
            differs[reason] += 1
        else:
            mismatches.append((path, addr, raw, text, length))

    total = len(checked)
    print(f'{total} instructions from {len(paths)} libraries '
          f'({skipped} (bad), data or lone prefix lines skipped)')
    print('kinds: ' + ', '.join(f'{k} {n}' for k, n in kinds.most_common()))
    for reason, n in differs.most_common():
        print(f'{n} where objdump is not the CPU: {reason}')
    print(f'{len(mismatches)} length mismatches '
          f'({100.0 * len(mismatches) / max(total, 1):.4f}%)')
    for path, addr, raw, text, length in mismatches[:100]:
        print(f'  {os.path.basename(path)} {addr:x}: {raw.hex(" ")} '
              f'[{text}] objdump {len(raw)}, ours {length}')
    if len(mismatches) > 100:
        print(f'  ... and {len(mismatches) - 100} more')
    return 1 if mismatches else 0


if __name__ == '__main__':
    sys.exit(main())
