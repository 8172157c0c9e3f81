"""The crash report's faulting instruction (src/modes/crash_insn.c): the
instructions around the pc compared with gdb's (`disassemble` of the
function and `x/6i $pc` in a batch gdb running the same fixture), and the
addresses of the faulting instruction's memory accesses with the kernel's
si_addr. Fixture: fixtures/crash_insn.c (one fault per argument).

Capstone prints AT&T as gdb does by default, with a few spelling
differences that `normalise` removes: size suffixes gdb leaves out when a
register gives the size (movl/mov, callq/call), small numbers in decimal
($1 / $0x1, 8(%rdi) / 0x8(%rdi)), gdb's explicit scale 1 and 0x0
displacement, and branch targets (absolute: compared relative to the
pc, as ptrc's run and gdb's are laid out differently)."""
import os
import re
import signal
import subprocess

import pytest

from conftest import FIXTURES, PTRC, i386, program
from test_crash import allow_core, crashes, run_crash

X86_64_ONLY = os.uname().machine == "x86_64"


def fixture(build):
    return program(os.path.join(FIXTURES, "crash_insn-%s" % build))


def hexify(m):
    return "%s0x%x" % (m.group(1), int(m.group(2)))


def normalise(text, pc):
    """(mnemonic, operands) of one AT&T instruction text, spelled alike."""
    text = re.sub(r"\s*#.*$", "", text).strip()
    text = re.sub(r"\s*<[^>]*>", "", text)
    mnemonic, _, ops = text.partition(" ")
    ops = ops.strip().replace(" ", "")
    # decimal numbers (outside a scale) as hex
    ops = re.sub(r"(^|[$,(\-])(\d+)(?![\dx])(?=[(,]|$)",
                 lambda m: hexify(m) if not (m.group(1) == "," and
                                             ops[m.end():m.end() + 1] == ")")
                 else m.group(0), ops)
    ops = re.sub(r"(^|,)0x0\(", r"\1(", ops)   # 0x0(%rax,...) -> (%rax,...)
    ops = re.sub(r",1\)", ")", ops)           # scale 1
    # an index of the zero pseudo-register (padding such as i386's
    # `lea 0x0(%esi,%eiz,1),%esi`): gdb names it, capstone leaves it out
    ops = re.sub(r",%[er]iz\)", ")", ops)
    if re.fullmatch(r"j\w+|call\w?|jmp\w?", mnemonic) and \
            re.fullmatch(r"0x[0-9a-f]+", ops):
        ops = "pc%+d" % (int(ops, 16) - pc)
    return mnemonic, ops


def same_mnemonic(ours, gdbs):
    return ours == gdbs or (ours[:-1] == gdbs and ours[-1] in "bwlq")


def gdb_view(argv, cwd):
    """{offset from the pc: text} of the faulting function (disassemble)
    and of x/6i $pc, and gdb's pc, from a batch gdb run of ARGV."""
    done = subprocess.run(
        ["gdb", "-batch", "-nx", "-ex", "run", "-ex", "disassemble",
         "-ex", "x/6i $pc", "--args", *argv],
        capture_output=True, text=True, timeout=120, cwd=cwd)
    lines = done.stdout.splitlines()
    pc = None
    for line in lines:
        m = re.match(r"=> (0x[0-9a-f]+)", line)
        if m:
            pc = int(m.group(1), 16)
    assert pc is not None, done.stdout + done.stderr
    view = {}
    for line in lines:
        m = re.match(r"(?:=>|  ) (0x[0-9a-f]+)(?: <[^>]*>)?:\s*(.*)$", line)
        if m:
            view[int(m.group(1), 16) - pc] = m.group(2)
    return view, pc


def check_against_gdb(code, argv, cwd):
    """Every instruction ptrc shows is the one gdb shows at that offset
    from the pc (nops and padding aside)."""
    view, gdb_pc = gdb_view(argv, cwd)
    pc = int(code["pc"], 16)
    compared = 0
    for insn in code["instructions"]:
        offset = int(insn["address"], 16) - pc
        if offset not in view:
            continue
        # branch targets: ours relative to our pc, gdb's to its own
        ours = normalise(insn["text"], pc=pc)
        theirs = normalise(view[offset], pc=gdb_pc)
        if theirs[0].startswith(("nop", "cs", "data16", "xchg")):
            continue
        assert same_mnemonic(ours[0], theirs[0]), (insn, view[offset])
        assert ours[1] == theirs[1], (insn, view[offset])
        compared += 1
    return compared


def report(tmp_path, argv):
    status, docs, _ = run_crash(tmp_path, argv)
    [r] = crashes(docs)
    return status, r


BUILDS = ["O0", "O2", i386("O0-m32"), i386("O2-m32")]


@pytest.mark.parametrize("build", BUILDS)
@pytest.mark.parametrize("mode", ["index", "wild", "cross"])
def test_memory_fault_address(tmp_path, build, mode):
    """The address computed from the registers is the kernel's si_addr
    (cross: si_addr is the unmapped page, 4 bytes into the access)."""
    exe = fixture(build)
    status, r = report(tmp_path, [exe, mode])
    assert status == 128 + signal.SIGSEGV
    code = r["code"]
    marked = [i for i in code["instructions"] if i["marked"]]
    assert len(marked) == 1 and marked[0]["address"] == code["pc"]
    si_addr = int(r["signal"]["address"], 16)
    hits = [a for a in code["accesses"] if a["si_addr"]]
    assert len(hits) == 1, code
    address = int(hits[0]["address"], 16)
    if mode == "cross" and not build.endswith("m32"):
        # x86_64: one 8-byte load from 4 bytes before the hole
        assert code["si_addr_check"] == "inside"
        assert address == si_addr - 4 and hits[0]["size"] == 8
    else:
        # (i386 reads the 8 bytes as two 4-byte loads: the second one,
        # at the hole, faults)
        assert code["si_addr_check"] == "match" and address == si_addr
    if build == "O2" and mode == "index":
        # base + index*4 + 8, as the source says
        assert re.search(r"0x8\(%[re]di,%[re]si,4\)|8\(%\w+,%\w+,4\)",
                         marked[0]["text"]), marked[0]
        assert "*4 + 0x8" in hits[0]["formula"]


@pytest.mark.parametrize("build", ["O0", "O2", i386("O2-m32")])
@pytest.mark.parametrize("mode", ["index", "wild", "cross", "divzero", "trap"])
def test_same_as_gdb(tmp_path, build, mode):
    """The instructions before (from the function's start) and after the
    pc are gdb's, one for one."""
    exe = fixture(build)
    _, r = report(tmp_path, [exe, mode])
    code = r["code"]
    assert code["unavailable"] is None, code
    compared = check_against_gdb(code, [exe, mode], tmp_path)
    assert compared >= 1, code
    if code["function_start"] != code["pc"] and build == "O0":
        # -O0 code starts with push %rbp; mov %rsp,%rbp: at least three
        # instructions before the pc, decoded from the function's start
        assert code["before_aligned"] and compared >= 4, code
        assert code["instructions"][0]["function_offset"] is not None


@pytest.mark.parametrize("build", ["O0", "O2", i386("O2-m32")])
def test_call_through_null(tmp_path, build):
    """pc 0 cannot be read: the call that jumped there is shown instead,
    ending at the return address; si_addr is the pc itself."""
    exe = fixture(build)
    status, r = report(tmp_path, [exe, "callnull"])
    assert status == 128 + signal.SIGSEGV
    code = r["code"]
    assert code["pc"] == "0x0" and "not readable" in code["unavailable"]
    assert code["si_addr_check"] == "fetch"
    marked = [i for i in code["instructions"] if i["marked"]]
    assert len(marked) == 1, code
    call = marked[0]
    assert re.match(r"call", call["text"]), call
    assert int(call["address"], 16) + len(call["bytes"]) // 2 == \
        int(code["return_address"], 16)
    # the return address is in the fixture's call_pointer, by nm
    [module] = [m for m in r["modules"]
                if os.path.realpath(m["path"]) == os.path.realpath(exe)]
    offset = int(code["return_address"], 16) - int(module["start"], 16)
    nm = subprocess.run(["nm", "-S", exe], capture_output=True, text=True,
                        check=True).stdout
    m = re.search(r"^([0-9a-f]+) ([0-9a-f]+) t call_pointer$", nm, re.M)
    assert m and 0 < offset - int(m.group(1), 16) < int(m.group(2), 16), \
        (hex(offset), m and m.group(0))


@pytest.mark.skipif(not X86_64_ONLY, reason="x86_64: non-canonical addresses")
def test_general_protection_fault(tmp_path):
    """A non-canonical address: si_code SI_KERNEL and si_addr 0; the
    computed address is the only one there is."""
    status, r = report(tmp_path, [fixture("O2"), "noncanon"])
    assert status == 128 + signal.SIGSEGV
    code = r["code"]
    assert code["si_addr_check"] == "no_address"
    [a] = code["accesses"]
    assert a["address"] == "0xdead000000000000" and a["access"] == "write"


@pytest.mark.parametrize("build", ["O0", "O2"])
def test_stack_overflow_is_the_calls_push(tmp_path, build):
    """A stack overflow faults on a call's (or push's) stack slot, not on
    an operand: the implicit access is the one si_addr names."""
    exe = program(os.path.join(FIXTURES, "crash_overflow-%s" % build))
    _, r = report(tmp_path, [exe])
    code = r["code"]
    hits = [a for a in code["accesses"] if a["si_addr"]]
    assert code["si_addr_check"] == "match" and len(hits) == 1, code
    assert hits[0]["kind"] in ("callq", "pushq", "operand")
    assert int(hits[0]["address"], 16) == int(r["signal"]["address"], 16)


def test_text_report(tmp_path):
    out = tmp_path / "report.txt"
    exe = fixture("O2")
    done = subprocess.run([PTRC, "run", "--crash", "-o", str(out), "--", exe,
                           "index"], timeout=60, cwd=tmp_path,
                          preexec_fn=allow_core)
    assert done.returncode == 128 + signal.SIGSEGV
    text = out.read_text()
    assert "Faulting instruction (AT&T syntax, as gdb's x/i):" in text
    m = re.search(r"^=> 0x[0-9a-f]{16} <read_index\+\d+>:  (\S+) +(\S+)$",
                  text, re.M)
    assert m and m.group(1).startswith("mov"), text
    assert re.search(r"^    Access: operand, read, 4 bytes at 0x[0-9a-f]+ = "
                     r"%rdi=0x[0-9a-f]+ \+ %rsi=0x[0-9a-f]+\*4 \+ 0x8  <- si_addr$",
                     text, re.M), text
    assert re.search(r"^   si_addr: matches si_addr 0x[0-9a-f]+$", text, re.M)


def test_sent_signal_names_no_instruction(tmp_path):
    """abort()'s SIGABRT was sent (tgkill): no faulting instruction, and
    no time spent decoding one."""
    exe = program(os.path.join(FIXTURES, "crash_abort-O2"))
    status, r = report(tmp_path, [exe])
    assert status == 128 + signal.SIGABRT
    code = r["code"]
    assert code["unavailable"] == ("no instruction faulted: the signal was "
                                   "sent by a process")
    assert code["instructions"] == [] and code["si_addr_check"] == "none"
