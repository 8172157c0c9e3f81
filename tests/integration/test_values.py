"""Arguments and locals of the crashed thread's frames (the crash report's
params/locals), compared with gdb's, the oracle, on fixtures/values_kinds.c
built by gcc and clang at -O0 and -O2.

For each own-code frame, every argument and local gdb names is classed:
equal; a miss (ptrc <optimized out> or absent where gdb has a value, or a
value ptrc abbreviates with {...}); a failure (a value ptrc prints where gdb
says <optimized out>, or one that differs from gdb's). The goal (issue 17):
no failure, and at -O2 under 5% misses."""
import json
import os
import re
import shutil
import subprocess

import pytest

from conftest import (BUILD, FIXTURES, PTRC, i386, proc_state, program,
                      wait_for)
from test_crash import crashes, own_frames, run_crash

GDB = shutil.which("gdb")
SETARCH = shutil.which("setarch")
SCRIPT = os.path.join(os.path.dirname(__file__), "gdb_values.py")
OPTIMIZED_OUT = "<optimized out>"

# (build, optimised): the i386 builds run in the guest (tests/run
# --i386-guest); the clang ones where clang is installed.
BUILDS = [("O0", False), ("O2", True), ("clang-O0", False),
          ("clang-O2", True), i386("O0-m32", False), i386("O2-m32", True),
          # split DWARF: the variables in a .dwo file (libdw finds it)
          ("split-O2", True)]


def gdb_frames(exe, tmp_path):
    """gdb's frames of the crash of EXE: [{function, inlined, vars:
    {params: [[name, value]], locals: [...]}}], innermost first."""
    out = tmp_path / "gdb.json"
    # The program's environment as under ptrc (no LINES, COLUMNS, no shell
    # in between): its stack addresses are then the same.
    subprocess.run([GDB, "-nx", "-batch", "-ex", "set debuginfod enabled off",
                    "-ex", "set startup-with-shell off",
                    "-ex", "set charset ASCII",
                    "-ex", "unset environment LINES",
                    "-ex", "unset environment COLUMNS", "-ex", "run",
                    "-ex", "python GDB_VALUES_OUT = %r" % str(out),
                    "-ex", "python exec(open(%r).read())" % SCRIPT,
                    "--args", exe],
                   cwd=tmp_path, capture_output=True, timeout=120)
    return json.loads(out.read_text())


def all_optimized_out(gdb_value):
    """gdb's {x = <optimized out>, y = <optimized out>}: nothing known."""
    rest = re.sub(r"\w+ = |<optimized out>|<repeats \d+ times>|[{}, ]", "",
                  gdb_value)
    return "<optimized out>" in gdb_value and rest == ""


def classify(gdb_value, ptrc):
    """'equal', 'miss:KIND' or 'failure:KIND' for one variable; PTRC is
    ptrc's value or None (absent)."""
    if all_optimized_out(gdb_value):
        gdb_value = OPTIMIZED_OUT
    if ptrc is None:
        return "equal" if gdb_value == OPTIMIZED_OUT else "miss:absent"
    if gdb_value == ptrc:
        return "equal"
    if gdb_value == OPTIMIZED_OUT:
        return "failure:value where gdb has <optimized out>"
    if ptrc == OPTIMIZED_OUT:
        return "miss:optimized out"
    if ptrc == "<unsupported type>":
        return "miss:unsupported type"
    if "{...}" in ptrc or "<unsupported type>" in ptrc:
        pattern = re.escape(ptrc).replace(re.escape("{...}"), ".*").replace(
            re.escape("<unsupported type>"), ".*")
        if re.fullmatch(pattern, gdb_value):
            return "miss:abbreviated"
    if OPTIMIZED_OUT in ptrc and partly_equal(gdb_value, ptrc):
        return "miss:partly optimized out"
    return "failure:different value"


def partly_equal(gdb_value, ptrc):
    """Whether PTRC, an object some parts of which ptrc shows as
    <optimized out>, is GDB_VALUE with those parts (each one field, one
    element or a run of repeats) in place of gdb's: every part ptrc knows
    is equal."""
    part = r"(?:[^{},]|\{[^{}]*\})+?"
    pattern = re.escape(ptrc).replace(re.escape(OPTIMIZED_OUT) + re.escape(
        " <repeats ") + r"(\d+)" + re.escape(" times>"), "(?:" + part + ")")
    pattern = pattern.replace(re.escape(OPTIMIZED_OUT), part)
    return re.fullmatch(pattern, gdb_value) is not None


def compare(gdb, ptrc_frames):
    """(counts by class, [differences]) over the frames both name."""
    counts, diffs = {}, []
    for index, pf in enumerate(ptrc_frames):
        if index >= len(gdb) or gdb[index]["vars"] is None:
            break
        g = gdb[index]
        # gdb names a frame from DWARF (__GI___libc_read), ptrc from the
        # ELF symbol (read): one ends the other.
        # C++: ptrc's name has the parameter types, gdb's not.
        gname = g["function"] or ""
        pname = pf["function"].split("+")[0].split("(")[0]
        if not (gname.endswith(pname) or pname.endswith(gname)):
            diffs.append(("frame %d" % index, "frames differ: gdb %s, ptrc %s"
                          % (g["function"], pf["function"])))
            break
        for kind, key in (("params", "params"), ("locals", "locals")):
            mine = {}
            for v in pf.get(key, []):
                mine.setdefault(v["name"], []).append(v["value"])
            for name, value in g["vars"][kind]:
                got = mine.get(name, [])
                ptrc = got.pop(0) if got else None
                c = classify(value, ptrc)
                counts[c.split(":")[0]] = counts.get(c.split(":")[0], 0) + 1
                if c != "equal":
                    diffs.append(("%s %s %s" % (g["function"], kind, name),
                                  "%s: gdb %r, ptrc %r" % (c, value, ptrc)))
    return counts, diffs


@pytest.mark.skipif(GDB is None or SETARCH is None,
                    reason="gdb or setarch is not installed")
@pytest.mark.parametrize("build,optimised", BUILDS)
def test_values_against_gdb(tmp_path, build, optimised):
    check_against_gdb(tmp_path, "values_kinds-" + build, optimised)


def crash_values(tmp_path, name):
    """[(function, [(name, value)])] of the crashed thread's own frames
    (the program's, not libc's, whose uninitialised stack slots differ from
    one program to the next) that have values, ptrc's, hex numbers made
    0xADDR."""
    exe = program(os.path.join(FIXTURES, name))
    status, docs, _ = run_crash(tmp_path, [SETARCH, "-R", exe])
    [report] = crashes(docs)
    return [(f["function"].split("+")[0],
             [(v["name"], re.sub(r"0x[0-9a-f]+", "0xADDR", v["value"]))
              for v in f.get("params", []) + f.get("locals", [])])
            for f in report["threads"][0]["frames"] if "params" in f and
            f["module"] and os.path.realpath(f["module"]) == os.path.realpath(exe)]


@pytest.mark.skipif(SETARCH is None, reason="setarch is not installed")
def test_clang_split_dwarf_values(tmp_path):
    """clang -gsplit-dwarf: gdb 13 does not read clang's location lists in
    a .dwo (every such variable is <optimized out> there), so the oracle
    is ptrc's own reading of the same program without split DWARF, which
    test_values_against_gdb[clang-O2] checks against gdb: the same frames,
    the same values (addresses aside: the program names differ in length,
    which moves the stack)."""
    path = os.path.join(FIXTURES, "values_kinds-clang-split-O2")
    if not os.path.exists(path):
        pytest.skip("no clang")
    split = crash_values(tmp_path, "values_kinds-clang-split-O2")
    plain = crash_values(tmp_path, "values_kinds-clang-O2")
    assert split == plain
    values = [v for _, vs in split for _, v in vs]
    # (the program's own frames: 18 values known at the time of writing)
    assert sum(v != OPTIMIZED_OUT for v in values) >= 15, split


@pytest.mark.skipif(GDB is None or SETARCH is None,
                    reason="gdb or setarch is not installed")
@pytest.mark.parametrize("build,optimised", [
    ("O0", False), ("O2", True), ("clang-O2", True),
    i386("O2-m32", True)])
def test_optimised_values_against_gdb(tmp_path, build, optimised):
    """What -O2 leaves: doubles and floats in vector registers of frame 0,
    entry values of doubles (DW_OP_regval_type, DW_OP_const_type) two
    callers deep, implicit pointers (<synthetic pointer>), structs in
    pieces, values kept in rbx through frames whose CFI does not name it."""
    check_against_gdb(tmp_path, "values_opt-" + build, optimised)


@pytest.mark.skipif(GDB is None or SETARCH is None,
                    reason="gdb or setarch is not installed")
@pytest.mark.parametrize("build,optimised", [("O0", False), ("O2", True)])
@pytest.mark.parametrize("fixture", ["values_cxx", "values_cxx_class"])
def test_cxx_values_against_gdb(tmp_path, fixture, build, optimised):
    """C++: a base class, a vtable pointer, references; std::string as
    gdb's pretty-printer prints it (also a member, on the heap). Member
    functions (this), private members, rvalue references, references to
    pointers, enum classes, namespaces (values_cxx_class)."""
    check_against_gdb(tmp_path, fixture + "-" + build, optimised)


def check_against_gdb(tmp_path, name, optimised):
    path = os.path.join(FIXTURES, name)
    if not os.path.exists(path) and ("clang" in name or "cxx" in name):
        pytest.skip("no clang or no C++ compiler")
    exe = program(path)
    # gdb runs the program without address randomization: so does ptrc.
    status, docs, _ = run_crash(tmp_path, [SETARCH, "-R", exe])
    [report] = crashes(docs)
    # The whole crashed thread, aligned with gdb's frames by index.
    frames = report["threads"][0]["frames"]
    # The fixture's frames with DWARF (not _start): innermost first.
    own = [f for f in own_frames(report["threads"][0], exe) if "params" in f]
    assert own and own[-1]["function"].startswith("main"), own
    gdb = gdb_frames(exe, tmp_path)
    counts, diffs = compare(gdb, frames[:frames.index(own[-1]) + 1])
    total = sum(counts.values())
    misses, failures = counts.get("miss", 0), counts.get("failure", 0)
    summary = "%s: %d values, %d equal, %d misses, %d failures" % (
        name, total, counts.get("equal", 0), misses, failures)
    with open(os.path.join(BUILD, "meson-logs", "values-vs-gdb.txt"), "a") as f:
        f.write(summary + "\n")
        for where, what in diffs:
            f.write("    %s: %s\n" % (where, what))
    print(summary)
    assert total >= 8, summary
    assert failures == 0, (summary, diffs)
    if optimised and misses >= 0.05 * total:
        # The goal (issue 17): under 5% misses at -O2. Reached on x86_64
        # (gcc and clang); the i386 guest's builds are not measured yet.
        if "m32" in name:
            pytest.xfail("goal not reached: " + summary)
        assert False, ("goal not reached", summary, diffs)
    elif not optimised:
        # At -O0 gdb and ptrc know the same; only the types ptrc does not
        # print (what gdb shows through pretty-printers) may differ.
        real = [d for d in diffs if "unsupported type" not in d[1]]
        assert not real, (summary, diffs)


def gdb_attached_frames(pid, tmp_path):
    """gdb's frames of the stopped thread PID (gdb -p), as gdb_frames."""
    out = tmp_path / "gdb-attach.json"
    subprocess.run([GDB, "-nx", "-batch", "-ex", "set debuginfod enabled off",
                    "-ex", "set charset ASCII",
                    "-ex", "python GDB_VALUES_OUT = %r" % str(out),
                    "-ex", "python exec(open(%r).read())" % SCRIPT,
                    "-p", str(pid)],
                   cwd=tmp_path, capture_output=True, timeout=120)
    return json.loads(out.read_text())


@pytest.mark.skipif(GDB is None, reason="gdb is not installed")
@pytest.mark.parametrize("option", ["--values", "--locals"])
def test_stack_values_against_gdb(tmp_path, background, option):
    """ptrc stack --values / --locals on a live process (waiting in read()
    under main), then gdb -p on the same, unchanged, process: every frame,
    libc's included, agrees; --values has no locals."""
    exe = program(os.path.join(FIXTURES, "values_kinds-O0"))
    p = background([exe, "wait"], stdin=subprocess.PIPE,
                   stdout=subprocess.PIPE)
    assert p.proc.stdout.readline() == b"ready\n"
    assert wait_for(lambda: proc_state(p.pid) == "S")
    done = subprocess.run([PTRC, "stack", "--json", option, str(p.pid)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    [thread] = json.loads(done.stdout)["threads"]
    frames = thread["frames"]
    main = [f for f in frames if f["function"].startswith("main")]
    assert main and [v["name"] for v in main[0]["params"]] == ["argc", "argv"]
    assert main[0]["params"][0]["value"] == "2"
    if option == "--values":
        assert all(f.get("locals", []) == [] for f in frames)
        return
    gdb = gdb_attached_frames(p.pid, tmp_path)
    counts, diffs = compare(gdb, frames)
    assert counts.get("failure", 0) == 0, diffs
    assert counts.get("equal", 0) >= 3, (counts, diffs)
    print("stack --locals, live:", counts, diffs)
