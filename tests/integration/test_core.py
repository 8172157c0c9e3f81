"""ptrc stack --core FILE [--exe PATH]: every thread's stack of a core file,
printed as `ptrc stack PID` prints a live process. Cores come from the
kernel (the fixture crashes with RLIMIT_CORE raised, in a tmp cwd) and from
gdb's gcore (of a live stack_threads). Oracles: eu-stack --core -s -i and
gdb -batch 'thread apply all bt' (same threads, same pcs, same functions),
and a live `ptrc stack` of the same process just before gcore. Cores are
hostile input: truncated ones and random bytes must give a one-line error
and exit status 76, never a crash.

x86_64-only expectations are marked; an i386 or aarch64 core runs the same
tests in the guests (nothing here depends on the host's word size but the
fixtures' builds)."""
import glob
import json
import os
import random
import resource
import re
import shutil
import subprocess

import pytest

from conftest import FIXTURES, PTRC, i386, program, proc_state, wait_for
from test_crash import allow_core, markers

BAD_CORE = 76


def kernel_core(tmp_path, argv):
    """Runs ARGV in TMP_PATH until it dumps core; (core path, pid)."""
    with open("/proc/sys/kernel/core_pattern") as f:
        pattern = f.read().strip()
    if pattern.startswith("|"):
        pytest.skip("core_pattern is a pipe (%s): the kernel's cores do "
                    "not land in the cwd" % pattern)
    if "/" in pattern:
        pytest.skip("core_pattern %s is not in the cwd" % pattern)
    p = subprocess.Popen(argv, cwd=tmp_path, preexec_fn=allow_core,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    status = os.waitpid(p.pid, 0)[1]
    assert os.WIFSIGNALED(status) and os.WCOREDUMP(status), status
    found = [c for c in glob.glob(str(tmp_path / "core*"))]
    assert len(found) == 1, found
    return found[0], p.pid


def stack_core(core, *options):
    done = subprocess.run([PTRC, "stack", "--json", "--core", core, *options],
                          capture_output=True, text=True, timeout=120)
    doc = json.loads(done.stdout) if done.stdout else None
    return done.returncode, doc, done


def threads_of(text, thread, frame, item):
    """{id: [ITEM(frame match)]}: THREAD's group 1 opens a thread, FRAME
    matches its frames."""
    threads, tid = {}, None
    for line in text.splitlines():
        m = re.match(thread, line)
        if m:
            tid = int(m.group(1))
            threads[tid] = []
            continue
        m = re.match(frame, line)
        if m and tid is not None:
            threads[tid].append(item(m))
    return threads


def eu_stack(core, *options):
    """{tid: [(pc, function)]} of eu-stack --core CORE -s -i."""
    done = subprocess.run(["eu-stack", "--core", core, "-s", "-i", *options],
                          capture_output=True, text=True, timeout=120)
    return threads_of(done.stdout, r"TID (\d+):",
                      r"#(\d+)\s+0x([0-9a-f]+)\s*(\S*)",
                      lambda m: (int(m.group(2), 16), m.group(3) or None))


def gdb_bt(exe, core):
    """{lwp: [function]} of gdb -batch 'thread apply all bt' EXE CORE."""
    done = subprocess.run(["gdb", "-batch", "-nx", "-ex",
                           "set backtrace past-main on", "-ex",
                           "thread apply all bt", exe, core],
                          capture_output=True, text=True, timeout=120)
    return threads_of(done.stdout, r"Thread \d+ \(.*LWP (\d+)\)\)?:",
                      r"#\d+\s+(?:0x[0-9a-f]+ in )?(\S+) \(",
                      lambda m: m.group(1))


def own_frames(thread, exe):
    exe = os.path.realpath(exe)
    return [f for f in thread["frames"]
            if f["module"] and os.path.realpath(f["module"]) == exe]


def check_against_oracles(doc, core, exe):
    """Same threads and pcs as eu-stack; the fixture's own functions, in
    order, as gdb names them."""
    eu = eu_stack(core)
    assert sorted(eu) == sorted(t["tid"] for t in doc["threads"])
    for t in doc["threads"]:
        ours = [int(f["pc"], 16) for f in t["frames"]]
        theirs = [pc for pc, _ in eu[t["tid"]]]
        assert ours == theirs, (t["tid"], ours, theirs)
        # eu-stack names libc's functions by their DWARF names, ptrc by
        # their ELF symbols (pause, __libc_pause): the fixture's agree
        names = {f["function"] for f in own_frames(t, exe)}
        own_eu = [n for _, n in eu[t["tid"]] if n in names]
        assert own_eu == [f["function"] for f in own_frames(t, exe)]
    gdb = gdb_bt(exe, core)
    assert sorted(gdb) == sorted(t["tid"] for t in doc["threads"])
    for t in doc["threads"]:
        own = [f["function"] for f in own_frames(t, exe)]
        assert [n for n in gdb[t["tid"]] if n in set(own)] == own, \
            (t["tid"], own, gdb[t["tid"]])


@pytest.mark.parametrize("build", ["O0", "O2", i386("O2-m32", id="O2-m32")])
def test_kernel_core_crash_null(tmp_path, build):
    exe = program(os.path.join(FIXTURES, "crash_null-" + build))
    core, pid = kernel_core(tmp_path, [exe])
    status, doc, done = stack_core(core)
    assert status == 0, done.stderr
    assert doc["pid"] == pid and doc["core"] == core
    assert [t["tid"] for t in doc["threads"]] == [pid]
    lines = markers("crash_null")
    own = own_frames(doc["threads"][0], exe)
    assert [(f["function"], f["line"]) for f in own[:4]] == [
        ("level3", lines["level3"]), ("level2", lines["level2"]),
        ("level1", lines["level1"]), ("main", lines["main"])]
    assert doc["threads"][0]["frames"][0]["activation"]
    assert any(m["build_id"] and os.path.realpath(m["path"]) ==
               os.path.realpath(exe) for m in doc["modules"])
    check_against_oracles(doc, core, exe)


def test_kernel_core_threads(tmp_path):
    exe = program(os.path.join(FIXTURES, "crash_threads-O2"))
    core, pid = kernel_core(tmp_path, [exe])
    status, doc, done = stack_core(core)
    assert status == 0, done.stderr
    assert len(doc["threads"]) == 5
    tids = [t["tid"] for t in doc["threads"]]
    assert tids == sorted(tids) and pid in tids
    check_against_oracles(doc, core, exe)


def test_kernel_core_cxx(tmp_path):
    exe = os.path.join(FIXTURES, "crash_cxx-O2")
    if not os.path.exists(exe):
        pytest.skip("no C++ compiler")
    core, pid = kernel_core(tmp_path, [program(exe)])
    status, doc, done = stack_core(core)
    assert status == 0, done.stderr
    names = [f["function"] for f in own_frames(doc["threads"][0], exe)]
    assert any("::" in (n or "") for n in names), names   # demangled
    eu = eu_stack(core)
    assert [int(f["pc"], 16) for f in doc["threads"][0]["frames"]] == \
        [pc for pc, _ in eu[pid]]


@pytest.fixture
def gcore_of_stack_threads(background, tmp_path):
    """A live stack_threads, its ptrc stack (live), then gdb's gcore."""
    exe = program(os.path.join(FIXTURES, "stack_threads"))
    p = background([exe], stdout=subprocess.PIPE)
    assert p.proc.stdout.readline() == b"ready\n"
    assert wait_for(lambda: all(proc_state(int(t)) == "S" for t in
                                os.listdir("/proc/%d/task" % p.pid)))
    live = subprocess.run([PTRC, "stack", "--json", str(p.pid)],
                          capture_output=True, text=True, timeout=60)
    assert live.returncode == 0, live.stderr
    core = str(tmp_path / "gcore")
    done = subprocess.run(["gdb", "-batch", "-nx", "-p", str(p.pid), "-ex",
                           "gcore " + core], capture_output=True, text=True,
                          timeout=120)
    if not os.path.exists(core):
        pytest.skip("gdb could not gcore: " + done.stderr[-300:])
    return exe, core, json.loads(live.stdout)


def test_gcore_matches_live(gcore_of_stack_threads):
    """The 9 threads of stack_threads: the core's stacks are the live
    ones (every thread sleeps in its place), frame for frame."""
    exe, core, live = gcore_of_stack_threads
    status, doc, done = stack_core(core)
    assert status == 0, done.stderr
    assert doc["pid"] == live["pid"] and len(doc["threads"]) == 9
    key = ("pc", "function", "file", "line", "inlined", "module")
    for ours, theirs in zip(doc["threads"], live["threads"]):
        assert ours["tid"] == theirs["tid"]
        assert ours["walk"] == theirs["walk"] == "complete"
        assert [[f[k] for k in key] for f in ours["frames"]] == \
            [[f[k] for k in key] for f in theirs["frames"]]
    check_against_oracles(doc, core, exe)


def test_gcore_text(gcore_of_stack_threads):
    exe, core, live = gcore_of_stack_threads
    done = subprocess.run([PTRC, "stack", "--core", core],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("PID %d - core\n" % live["pid"])
    assert len(re.findall(r"^Thread \d+ \(", done.stdout, re.M)) == 9
    line = markers("stack_threads")["inlined_wait"]
    assert re.search(r"^#\d+ +0x[0-9a-f]+ in inlined_wait \(inlined\) at "
                     r"\S*stack_threads\.c:%d" % line, done.stdout, re.M)


def test_exe_option(tmp_path):
    """The executable moved after the crash: the core's path names
    nothing, --exe gives it back."""
    exe = str(tmp_path / "crasher")
    shutil.copy(os.path.join(FIXTURES, "crash_null-O2"), exe)
    core, pid = kernel_core(tmp_path, [exe])
    moved = str(tmp_path / "moved")
    os.rename(exe, moved)
    status, doc, done = stack_core(core)
    assert status in (0, 1, 2), done.stderr
    assert "level3" not in [f["function"] for f in doc["threads"][0]["frames"]]
    status, doc, done = stack_core(core, "--exe", moved)
    assert status == 0, done.stderr
    names = [f["function"] for f in doc["threads"][0]["frames"]]
    assert names[:4] == ["level3", "level2", "level1", "main"]


def test_exe_of_another_build_is_refused(tmp_path):
    """libdwfl takes the executable it is given without checking it: ptrc
    refuses one whose build-id the core did not record (another build
    would give wrong names, worse than none)."""
    exe = str(tmp_path / "crasher")
    shutil.copy(os.path.join(FIXTURES, "crash_null-O2"), exe)
    core, pid = kernel_core(tmp_path, [exe])
    other = os.path.join(FIXTURES, "crash_null-O0")
    message = bad_core(core, "--exe", other)
    assert "build-id" in message and "another build" in message
    assert "No such file" in bad_core(core, "--exe", str(tmp_path / "none"))
    # Rebuilt in place: the file the core names is another build now,
    # which libdwfl does not use (build-id checked): no names, no lies.
    shutil.copy(other, exe)
    status, doc, done = stack_core(core)
    names = [f["function"] for f in doc["threads"][0]["frames"]]
    assert status in (1, 2) and names[0] is None, names


def bad_core(path, *options):
    done = subprocess.run([PTRC, "stack", "--core", path, *options],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == BAD_CORE, (done.returncode, done.stderr)
    assert done.stdout == ""
    assert done.stderr.startswith("ptrc: ") and \
        done.stderr.count("\n") == 1, done.stderr
    return done.stderr


def test_truncated_cores(tmp_path):
    exe = program(os.path.join(FIXTURES, "crash_threads-O2"))
    core, pid = kernel_core(tmp_path, [exe])
    with open(core, "rb") as f:
        data = f.read()
    cut = str(tmp_path / "cut")
    # the ELF header, the program headers, the notes, the memory
    for size in (0, 10, 63, 64, 200, 1000, 4096, 5000, len(data) // 2,
                 len(data) - 1):
        with open(cut, "wb") as f:
            f.write(data[:size])
        message = bad_core(cut)
        assert "cut" in message


def test_garbage_cores(tmp_path):
    exe = program(os.path.join(FIXTURES, "crash_null-O2"))
    core, pid = kernel_core(tmp_path, [exe])
    with open(core, "rb") as f:
        data = bytearray(f.read())
    rng = random.Random(16)
    bad = str(tmp_path / "bad")
    with open(bad, "wb") as f:
        f.write(bytes(rng.randrange(256) for _ in range(8192)))
    bad_core(bad)
    bad_core(exe)                        # an ELF file, not a core
    bad_core(str(tmp_path / "missing"))
    bad_core(str(tmp_path))              # a directory
    # A core with bytes flipped in its headers and notes: a clean error,
    # or stacks (some flips are harmless), never a crash or a hang.
    for round in range(40):
        mutated = bytearray(data)
        for _ in range(rng.randrange(1, 8)):
            mutated[rng.randrange(0, 0x1600)] = rng.randrange(256)
        with open(bad, "wb") as f:
            f.write(mutated)
        done = subprocess.run([PTRC, "stack", "--core", bad],
                              capture_output=True, timeout=60)
        assert done.returncode in (0, 1, 2, BAD_CORE), \
            (round, done.returncode, done.stderr)


def usage(*args):
    """The one-line message of a refused command line (exit 64)."""
    done = subprocess.run([PTRC, *args], capture_output=True, text=True,
                          timeout=30)
    assert done.returncode == 64, done
    assert done.stderr.count("\n") == 1
    return done.stderr


def test_options():
    assert "no PID" in usage("stack", "--core", "x", "1")
    assert "--exe needs --core" in usage("stack", "--exe", "x", "1")
    assert "--core is for ptrc stack" in usage("attach", "--core", "x", "1")
    assert "libunwind" in usage("stack", "--core", "x",
                                "--unwinder=libunwind")
    assert "-f" in usage("stack", "--core", "x", "-f")


# ---- ptrc report --core: the crash report of a core ----

def report_core(core, *options):
    done = subprocess.run([PTRC, "report", "--json", "--core", core,
                           *options], capture_output=True, text=True,
                          timeout=120)
    doc = json.loads(done.stdout) if done.stdout else None
    return done.returncode, doc, done


def gdb_siginfo(exe, core):
    """(si_signo, si_code, si_addr or None) of gdb's $_siginfo."""
    done = subprocess.run(["gdb", "-batch", "-nx", "-ex",
                           "print $_siginfo.si_signo", "-ex",
                           "print $_siginfo.si_code", "-ex",
                           "print $_siginfo._sifields._sigfault.si_addr",
                           exe, core], capture_output=True, text=True,
                          timeout=120)
    values = re.findall(r"^\$\d+ = (.*)$", done.stdout, re.M)
    assert len(values) == 3, done.stdout + done.stderr
    addr = re.search(r"0x[0-9a-f]+", values[2])
    return int(values[0]), int(values[1]), int(addr.group(0), 16) if addr else 0


@pytest.mark.parametrize("name,args", [("crash_null-O2", []),
                                       ("crash_threads-O2", ["a", "b"]),
                                       ("crash_abort-O2", []),
                                       ("crash_cxx-O2", []),
                                       i386("crash_null-O2-m32", [],
                                            id="crash_null-O2-m32"),
                                       i386("crash_threads-O2-m32", ["a", "b"],
                                            id="crash_threads-O2-m32")])
def test_report_matches_live(tmp_path, name, args):
    """A live crash report (ptrc run --crash, which re-delivers the
    signal: the kernel then writes the core) and the report of that core:
    the same crash, so the same signature, signal, registers, threads and
    frames. x86_64 and aarch64 alike (nothing here is arch-specific)."""
    path = os.path.join(FIXTURES, name)
    if not os.path.exists(path):
        pytest.skip("no C++ compiler")
    exe = program(path)
    with open("/proc/sys/kernel/core_pattern") as f:
        if f.read().startswith("|"):
            pytest.skip("core_pattern is a pipe")
    out = tmp_path / "live.json"
    # An ASan build of ptrc would set RLIMIT_CORE to 0 for itself and so
    # for the command: let it keep the limit
    env = dict(os.environ, ASAN_OPTIONS=":".join(
        filter(None, [os.environ.get("ASAN_OPTIONS"), "disable_coredump=0"])))
    subprocess.run([PTRC, "run", "--crash", "--json", "-o", str(out), "--",
                    exe, *args], cwd=tmp_path, preexec_fn=allow_core,
                   capture_output=True, timeout=60, env=env)
    live = json.loads(out.read_text())
    cores = glob.glob(str(tmp_path / "core*"))
    assert len(cores) == 1, cores
    status, doc, done = report_core(cores[0])
    assert status == 0, done.stderr
    assert doc["source"] == "core" and doc["core"] == cores[0]
    assert doc["action"] == "none"
    for key in ("pid", "tid", "signal", "registers", "executable",
                "build_id"):
        assert doc[key] == live[key], key
    # The signature hashes the crashed thread's function names: when it
    # differs, say which names.
    names = [[f["function"] for f in r["threads"][0]["frames"]]
             for r in (doc, live)]
    ends = [(r["threads"][0]["walk"], r["threads"][0]["stop_reason"])
            for r in (doc, live)]
    assert doc["signature"] == live["signature"], (names, ends)
    assert doc["command"] == [" ".join(live["command"])]
    assert len(doc["threads"]) == len(live["threads"])
    assert doc["threads"][0]["crashed"]
    for ours, theirs in zip(doc["threads"], live["threads"]):
        assert ours["tid"] == theirs["tid"]
        # The live report also has the crashed thread's values, which a
        # core report leaves out (they are read from the live memory).
        values = ("params", "locals", "vars_omitted")
        live_frames = [{k: v for k, v in f.items() if k not in values}
                       for f in theirs["frames"]]
        # A thread held in a restartable syscall (a sleep) has its pc
        # wound back over the syscall instruction (2 bytes on x86, 4 on
        # aarch64) when the kernel goes on to dump the core: the same
        # frame, the pc one instruction apart.
        ours_frames = [dict(f) for f in ours["frames"]]
        if ours_frames and live_frames and not ours.get("crashed"):
            core_pc, live_pc = ours_frames[0]["pc"], live_frames[0]["pc"]
            if int(live_pc, 16) - int(core_pc, 16) in (2, 4):
                # the innermost frame and the inlined ones at its pc
                for a, b in zip(ours_frames, live_frames):
                    if a["pc"] != core_pc or b["pc"] != live_pc:
                        break
                    for f in (a, b):
                        for k in ("pc", "function_offset", "module_offset"):
                            f.pop(k, None)
        assert ours_frames == live_frames
        assert not any(k in f for f in ours["frames"] for k in values)
    assert [m["build_id"] for m in doc["modules"]] == \
        [m["build_id"] for m in live["modules"]]
    # the fault's mapping: the same range, permissions and file
    if live["mapping"]:
        fields = live["mapping"].split()
        assert doc["mapping"].split()[:3] == fields[:3]
        assert doc["mapping"].split()[-1] == fields[-1]
    # gdb's $_siginfo of the core
    signo, code, addr = gdb_siginfo(exe, cores[0])
    assert (doc["signal"]["number"], doc["signal"]["code"]) == (signo, code)
    if doc["signal"]["address"] is not None:
        assert int(doc["signal"]["address"], 16) == addr


def test_report_text(tmp_path):
    exe = program(os.path.join(FIXTURES, "crash_null-O2"))
    core, pid = kernel_core(tmp_path, [exe])
    done = subprocess.run([PTRC, "report", "--core", core],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    text = done.stdout
    assert text.startswith("=== ptrc crash report ===\n")
    assert "    Source: from core %s " % core in text
    assert "Action:" not in text
    # What only a live process gives is left out, not printed empty.
    assert "Process context:" not in text and "Syscall:" not in text
    assert re.search(r"^       PID: %d \(crash_null-O2\), crashed thread %d$"
                     % (pid, pid), text, re.M)
    assert "Signal: SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, " \
        "si_addr=NULL}" in text
    assert "Address: 0x0 not mapped" in text
    assert re.search(r"^Thread %d \(crash_null-O2\) \[crashed\]:\n#0 +0x[0-9a-f]+"
                     r" in level3" % pid, text, re.M)


def test_report_hostile(tmp_path):
    """A core whose command line and name are hostile bytes: escaped."""
    exe = str(tmp_path / "evil\x1b[2J\nname")
    shutil.copy(os.path.join(FIXTURES, "crash_null-O2"), exe)
    core, pid = kernel_core(tmp_path, [exe, "arg\x07\x1b]0;x\x07"])
    done = subprocess.run([PTRC, "report", "--core", core],
                          capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert b"\x1b" not in done.stdout and b"\x07" not in done.stdout
    status, doc, done = report_core(core)
    assert status == 0
    assert doc["command"][0].startswith(exe)
    bad = str(tmp_path / "bad")
    with open(bad, "wb") as f:
        f.write(b"\x7fELF" + bytes(range(256)) * 8)
    done = subprocess.run([PTRC, "report", "--core", bad],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == BAD_CORE and done.stderr.count("\n") == 1


def test_report_options():
    assert "needs --core" in usage("report")
    assert "no PID" in usage("report", "--core", "x", "1")
    assert "-f" in usage("report", "--core", "x", "-f")
    assert "--unwinder" in usage("report", "--core", "x", "--unwinder=libdw")

