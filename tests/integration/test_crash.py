"""Crash mode (--crash): reports of fatal signals, checked frame by frame
against LINE:<name> markers in the fixtures' sources, and the process dying
exactly as it would without ptrc (signal, core dump flag, parent's status)."""
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import time

import pytest

from conftest import (FIXTURES, PTRC, i386, program, proc_state, tracer_of,
                      wait_for)

SOURCES = os.path.join(os.path.dirname(__file__), "..", "..", "fixtures")

BUILDS = ["O0", "O2", i386("O0-m32"), i386("O2-m32")]


def binary(name, build="O2"):
    path = os.path.join(FIXTURES, "%s-%s" % (name, build))
    if name == "crash_cxx" and not os.path.exists(path):
        pytest.skip("no C++ compiler")
    return program(path)


def markers(name):
    """LINE:<marker> -> line number, from the fixture's source."""
    source = name + (".cc" if name == "crash_cxx" else ".c")
    found = {}
    with open(os.path.join(SOURCES, source)) as f:
        for number, line in enumerate(f, 1):
            m = re.search(r"LINE:(\w+)", line)
            if m:
                found[m.group(1)] = number
    return found


def allow_core():
    resource.setrlimit(resource.RLIMIT_CORE,
                       (resource.RLIM_INFINITY, resource.RLIM_INFINITY))


def plain_status(argv, cwd):
    """Raw wait status of ARGV run without ptrc (core dumps allowed)."""
    p = subprocess.Popen(argv, cwd=cwd, preexec_fn=allow_core,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return os.waitpid(p.pid, 0)[1]


def test_clang_build_without_aranges(tmp_path):
    """clang writes no .debug_aranges by default; libdw 0.188 (and so
    eu-stack) then finds no source line nor inlined frame. ptrc walks the
    compilation units itself."""
    exe = binary("crash_null", "clang")
    sections = subprocess.run(["readelf", "-S", exe], capture_output=True,
                              text=True).stdout
    assert ".debug_info" in sections and ".debug_aranges" not in sections
    status, docs, _ = run_crash(tmp_path, [exe])
    assert status == 128 + signal.SIGSEGV
    [r] = crashes(docs)
    # clang ignores noipa: the levels are inlined into main
    check_frames(r["threads"][0], exe, "crash_null", [
        ("level3", "level3", True), ("level2", "level2", True),
        ("level1", "level1", True), ("main", "main", False)])


def run_crash(tmp_path, argv, *options, timeout=60):
    """`ptrc run --crash --json -o FILE OPTIONS -- ARGV`: (exit status, the
    JSON reports, the raw output)."""
    out = tmp_path / "report.json"
    done = subprocess.run([PTRC, "run", "--crash", "--json", "-o", str(out),
                           *options, "--", *argv], cwd=tmp_path,
                          preexec_fn=allow_core, capture_output=True,
                          timeout=timeout)
    text = out.read_text(errors="replace") if out.exists() else ""
    docs = [json.loads(line) for line in text.splitlines() if line.strip()]
    return done.returncode, docs, text


def crashes(docs):
    return [d for d in docs if d.get("type") == "crash"]


def own_frames(thread, exe):
    """The fixture's own frames of a JSON thread (module is the fixture)."""
    exe = os.path.realpath(exe)
    return [f for f in thread["frames"]
            if f["module"] and os.path.realpath(f["module"]) == exe]


def check_frames(thread, exe, name, expected):
    """EXPECTED: (function, marker or None, inlined) innermost first."""
    lines = markers(name)
    got = own_frames(thread, exe)
    summary = [(f["function"], f["line"], f["inlined"]) for f in got]
    assert len(got) >= len(expected), summary
    for f, (function, marker, inlined) in zip(got, expected):
        assert f["function"] == function, summary
        if marker:
            assert f["line"] == lines[marker], (function, marker, summary)
            assert os.path.basename(f["file"]) == os.path.basename(
                name + (".cc" if name == "crash_cxx" else ".c")), f
        assert f["inlined"] == inlined, summary


@pytest.mark.parametrize("build", BUILDS)
def test_null_write(tmp_path, build):
    exe = binary("crash_null", build)
    status, docs, _ = run_crash(tmp_path, [exe])
    assert status == 128 + signal.SIGSEGV
    [r] = crashes(docs)
    assert r["signal"]["name"] == "SIGSEGV"
    assert r["signal"]["text"] == ("SIGSEGV {si_signo=SIGSEGV, "
                                   "si_code=SEGV_MAPERR, si_addr=NULL}")
    assert r["signal"]["address"] == "0x0" and r["mapping"] is None
    assert r["threads"][0]["crashed"] and r["threads"][0]["tid"] == r["pid"]
    check_frames(r["threads"][0], exe, "crash_null", [
        ("level3", "level3", False), ("level2", "level2", False),
        ("level1", "level1", False), ("main", "main", False)])
    regs = r["registers"]
    pc = regs.get("rip") or regs.get("eip")
    assert pc == r["threads"][0]["frames"][0]["pc"]
    assert r["build_id"] and any(m["build_id"] == r["build_id"]
                                 for m in r["modules"])
    assert r["producer"] and ("-O0" in r["producer"] or "-O2" in r["producer"])
    assert re.fullmatch(r"[0-9a-f]{16}", r["signature"])


def test_text_report(tmp_path):
    exe = binary("crash_null")
    out = tmp_path / "report.txt"
    done = subprocess.run([PTRC, "run", "--crash", "-o", str(out), "--", exe,
                           "arg with space"], timeout=60)
    assert done.returncode == 128 + signal.SIGSEGV
    text = out.read_text()
    assert "Signal: SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=NULL}" in text
    assert '"arg with space"' in text
    assert "Address: 0x0 not mapped" in text
    assert re.search(r"^Thread \d+ \(crash_null-O2\) \[crashed\]:$", text, re.M)
    line = markers("crash_null")["level3"]
    assert re.search(r"^#0 +0x[0-9a-f]+ in level3\+0x[0-9a-f]+ at \S*crash_null\.c:%d" % line,
                     text, re.M), text
    assert "Registers of thread" in text and "rip 0x" in text
    assert "Modules:" in text and "build-id" in text
    assert re.search(r"Compiler: GNU C", text)


@pytest.mark.parametrize("build", ["O0", "O2"])
def test_assert_inlined(tmp_path, build):
    exe = binary("crash_abort", build)
    status, docs, _ = run_crash(tmp_path, [exe])
    assert status == 128 + signal.SIGABRT
    [r] = crashes(docs)
    assert r["signal"]["name"] == "SIGABRT" and "si_code=SI_TKILL" in r["signal"]["text"]
    check_frames(r["threads"][0], exe, "crash_abort", [
        ("check_positive", "check_positive", True),
        ("validate", "validate", False), ("main", "main", False)])
    names = [f["function"] for f in r["threads"][0]["frames"]]
    assert "abort" in names


@pytest.mark.parametrize("build", ["O0", "O2", i386("O2-m32")])
def test_qsort_callback(tmp_path, build):
    exe = binary("crash_qsort", build)
    status, docs, _ = run_crash(tmp_path, [exe])
    assert status == 128 + signal.SIGSEGV
    [r] = crashes(docs)
    check_frames(r["threads"][0], exe, "crash_qsort", [
        ("compare_items", "compare_items", False),
        ("sort_items", "sort_items", False), ("main", "main", False)])
    frames = r["threads"][0]["frames"]
    # libc's qsort sits between the comparator and its caller.
    first = next(i for i, f in enumerate(frames) if f["function"] == "compare_items")
    caller = next(i for i, f in enumerate(frames) if f["function"] == "sort_items")
    assert any("libc" in (f["module"] or "") for f in frames[first + 1:caller])


@pytest.mark.parametrize("build", ["O0", "O2", i386("O2-m32")])
def test_threads_divide_by_zero(tmp_path, build):
    exe = binary("crash_threads", build)
    status, docs, _ = run_crash(tmp_path, [exe])
    assert status == 128 + signal.SIGFPE
    [r] = crashes(docs)
    assert "si_code=FPE_INTDIV" in r["signal"]["text"]
    assert r["mapping"] and "r-xp" in r["mapping"]
    threads = r["threads"]
    assert len(threads) == 5
    assert threads[0]["crashed"] and not any(t["crashed"] for t in threads[1:])
    # The crashed thread has a name of its own; the process is its leader's.
    assert threads[0]["comm"] == "divider"
    assert r["comm"] == os.path.basename(exe)[:15]
    check_frames(threads[0], exe, "crash_threads", [
        ("divide", "divide", False), ("divides", "divides", False)])
    by_function = {}
    for t in threads[1:]:
        own = own_frames(t, exe)
        assert own, t
        by_function[own[0]["function"]] = t
    assert set(by_function) == {"main", "waits_on_cond", "sleeps", "reads_pipe"}
    for function in ("waits_on_cond", "sleeps", "reads_pipe"):
        check_frames(by_function[function], exe, "crash_threads",
                     [(function, function, False)])
    check_frames(by_function["main"], exe, "crash_threads",
                 [("main", "main", False)])


def test_thousand_threads(tmp_path):
    exe = binary("crash_threads")
    status, docs, _ = run_crash(tmp_path, [exe, "many"], timeout=120)
    assert status == 128 + signal.SIGFPE
    [r] = crashes(docs)
    assert len(r["threads"]) == 1005
    assert all(t["walk"] == "complete" for t in r["threads"]), \
        [t for t in r["threads"] if t["walk"] != "complete"][:2]


@pytest.mark.parametrize("build", ["O0", "O2"])
def test_stack_overflow(tmp_path, build):
    exe = binary("crash_overflow", build)
    start = time.monotonic()
    status, docs, _ = run_crash(tmp_path, [exe])
    assert time.monotonic() - start < 30
    assert status == 128 + signal.SIGSEGV
    [r] = crashes(docs)
    t = r["threads"][0]
    assert t["frames_total"] > 10000 and t["frames_omitted"] > 0
    assert len(t["frames"]) == t["frames_total"] - t["frames_omitted"]
    own = own_frames(t, exe)
    lines = markers("crash_overflow")
    assert own[0]["function"] == "recurse"
    assert own[1]["function"] == "recurse" and own[1]["line"] == lines["recurse"]
    named = [f for f in own if f["function"] != "_start"]
    assert named[-1]["function"] == "main" and named[-1]["line"] == lines["main"]
    assert named[-2]["function"] == "recurse"
    # the fault is just below the stack
    assert r["mapping"] is None and "[stack]" in (r["mapping_above"] or "")
    text = subprocess.run([PTRC, "run", "--crash", "--", exe],
                          capture_output=True, text=True, timeout=60).stderr
    assert re.search(r"^\.\.\. \d+ frames omitted \.\.\.$", text, re.M)


@pytest.mark.parametrize("build", ["O0", "O2", i386("O2-m32")])
def test_sigbus(tmp_path, build):
    exe = binary("crash_sigbus", build)
    status, docs, _ = run_crash(tmp_path, [exe])
    assert status == 128 + signal.SIGBUS
    [r] = crashes(docs)
    assert "si_code=BUS_ADRERR" in r["signal"]["text"]
    assert r["mapping"] and "crash_sigbus" in r["mapping"]
    check_frames(r["threads"][0], exe, "crash_sigbus", [
        ("touch", "touch", False), ("main", "main", False)])


@pytest.mark.parametrize("build", ["O0", "O2"])
def test_cxx_uncaught(tmp_path, build):
    exe = binary("crash_cxx", build)
    status, docs, _ = run_crash(tmp_path, [exe])
    assert status == 128 + signal.SIGABRT
    [r] = crashes(docs)
    check_frames(r["threads"][0], exe, "crash_cxx", [
        ("crashns::Thrower::fire(int)", "fire", False),
        ("crashns::run(int)", "run", False), ("main", "main", False)])
    names = [f["function"] for f in r["threads"][0]["frames"]]
    assert "std::terminate()" in names
    assert "GNU C++" in (r["producer"] or "")


@pytest.mark.parametrize("build", ["O0", "O2", i386("O2-m32")])
def test_crash_in_signal_handler(tmp_path, build):
    exe = binary("crash_handler", build)
    status, docs, _ = run_crash(tmp_path, [exe, "usr1"])
    assert status == 128 + signal.SIGSEGV
    [r] = crashes(docs)
    frames = r["threads"][0]["frames"]
    check_frames(r["threads"][0], exe, "crash_handler", [
        ("write_null", "write_null", False), ("on_usr1", "on_usr1", False),
        ("send_usr1", "send_usr1", False), ("main", "main", False)])
    # the signal trampoline between the handler and the interrupted code
    names = [f["function"] for f in frames]
    handler = names.index("on_usr1")
    interrupted = names.index("send_usr1")
    assert any(n in ("__restore_rt", "__kernel_sigreturn", "__kernel_rt_sigreturn")
               for n in names[handler + 1:interrupted]), names


def test_handled_segv_is_not_fatal(tmp_path):
    exe = binary("crash_handler")
    status, docs, text = run_crash(tmp_path, [exe, "handled"])
    assert status == 3
    assert crashes(docs) == []
    assert docs == [{"type": "exit", "pid": docs[0]["pid"], "status": 3,
                     "signal": None}]
    out = tmp_path / "r.txt"
    done = subprocess.run([PTRC, "run", "--crash", "-o", str(out), "--", exe,
                           "handled"], timeout=60)
    assert done.returncode == 3
    assert re.fullmatch(r"process \d+ exited with status 3 \(no crash\)\n",
                        out.read_text())


def test_segv_inside_segv_handler_is_fatal(tmp_path):
    exe = binary("crash_handler")
    status, docs, _ = run_crash(tmp_path, [exe, "nested"])
    assert status == 128 + signal.SIGSEGV
    [r] = crashes(docs)
    names = [f["function"] for f in own_frames(r["threads"][0], exe)]
    assert names[:2] == ["write_null", "on_segv_again"]
    assert names.count("write_null") == 2


def test_forked_child_crashes_parent_lives(tmp_path):
    exe = binary("crash_fork")
    out = tmp_path / "report.json"
    done = subprocess.run([PTRC, "run", "--crash", "-f", "--json", "-o",
                           str(out), "--", exe], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0
    m = re.search(r"child (\d+) status \d+ signaled 1 signal 11", done.stdout)
    assert m, done.stdout
    docs = [json.loads(l) for l in out.read_text().splitlines()]
    [r] = crashes(docs)
    assert r["pid"] == int(m.group(1))
    check_frames(r["threads"][0], exe, "crash_fork", [
        ("child_work", "child_work", False), ("main", "child", False)])
    assert docs[-1]["type"] == "exit" and docs[-1]["status"] == 0


def test_unwinders_agree(tmp_path):
    for name in ("crash_null", "crash_qsort", "crash_threads"):
        exe = binary(name)
        offsets = []
        for unwinder in ("libdw", "libunwind"):
            _, docs, _ = run_crash(tmp_path, [exe], "--unwinder=" + unwinder)
            [r] = crashes(docs)
            assert r["unwinder"] == unwinder
            offsets.append([f["module_offset"]
                            for f in own_frames(r["threads"][0], exe)
                            if not f["inlined"]])
        assert offsets[0] and offsets[0] == offsets[1], (name, offsets)


def test_signature_stable(tmp_path):
    sigs = []
    for name in ("crash_null", "crash_null", "crash_abort"):
        _, docs, _ = run_crash(tmp_path, [binary(name)])
        sigs.append(crashes(docs)[0]["signature"])
    assert sigs[0] == sigs[1] != sigs[2]


# ---- the process dies as without ptrc, seen by its parent ----

def start_waiting(exe, cwd, *args):
    p = subprocess.Popen([exe, "wait", *args], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, cwd=cwd, preexec_fn=allow_core)
    assert p.stdout.readline() == b"ready\n"
    return p


def attach_crash(tmp_path, p, *options):
    out = tmp_path / "attach.txt"
    tracer = subprocess.Popen([PTRC, "attach", "--crash", "-o", str(out),
                               *options, str(p.pid)])
    assert wait_for(lambda: os.path.exists("/proc/%d" % p.pid) and
                    all(tracer_of(int(t)) == tracer.pid
                        for t in os.listdir("/proc/%d/task" % p.pid)))
    return tracer, out


def go(p):
    p.stdin.write(b"x")
    p.stdin.flush()


@pytest.mark.parametrize("name,build", [
    ("crash_null", "O2"), i386("crash_null", "O0-m32"), ("crash_abort", "O2"),
    ("crash_threads", "O2"), ("crash_sigbus", "O0"), ("crash_cxx", "O2"),
    ("crash_overflow", "O2")])
def test_same_death_as_without_ptrc(tmp_path, name, build):
    exe = binary(name, build)
    (tmp_path / "plain").mkdir()
    (tmp_path / "traced").mkdir()
    p = start_waiting(exe, tmp_path / "plain")
    go(p)
    plain = os.waitpid(p.pid, 0)[1]
    p = start_waiting(exe, tmp_path / "traced")
    tracer, out = attach_crash(tmp_path, p)
    go(p)
    traced = os.waitpid(p.pid, 0)[1]
    assert tracer.wait(timeout=60) == 0
    assert os.WIFSIGNALED(plain) and os.WIFSIGNALED(traced)
    assert os.WTERMSIG(traced) == os.WTERMSIG(plain)
    assert os.WCOREDUMP(traced) == os.WCOREDUMP(plain)
    assert traced == plain
    assert "=== end of crash report ===" in out.read_text()


def test_run_status_matches_plain(tmp_path):
    exe = binary("crash_null")
    plain = plain_status([exe], tmp_path)
    done = subprocess.run([PTRC, "run", "--crash", "-o", str(tmp_path / "r"),
                           "--", exe], cwd=tmp_path, preexec_fn=allow_core,
                          timeout=60)
    assert done.returncode == 128 + os.WTERMSIG(plain)


def test_hold_then_cont_dies_by_the_signal(tmp_path):
    exe = binary("crash_null")
    p = start_waiting(exe, tmp_path)
    tracer, out = attach_crash(tmp_path, p, "--on-crash=hold")
    go(p)
    assert tracer.wait(timeout=60) == 0
    text = out.read_text()
    assert "gdb -p %d" % p.pid in text
    assert "kill -SEGV %d; kill -CONT %d" % (p.pid, p.pid) in text
    # Detached with SIGSTOP, it stops as soon as it runs to take it.
    assert wait_for(lambda: proc_state(p.pid) == "T", timeout=5), proc_state(p.pid)
    assert tracer_of(p.pid) == 0
    time.sleep(0.2)
    assert proc_state(p.pid) == "T"  # it stays stopped
    # kill -CONT alone: the faulting instruction runs again and faults again
    os.kill(p.pid, signal.SIGCONT)
    status = os.waitpid(p.pid, 0)[1]
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGSEGV


def test_hold_recipe_for_abort(tmp_path):
    """abort() does not run again by itself: the report's recipe (re-send
    the signal, then CONT) makes it die of SIGABRT."""
    exe = binary("crash_abort")
    p = start_waiting(exe, tmp_path)
    tracer, out = attach_crash(tmp_path, p, "--on-crash=hold")
    go(p)
    assert tracer.wait(timeout=60) == 0
    m = re.search(r"Let it die as it would have: (kill -\w+ \d+); (kill -CONT \d+)",
                  out.read_text())
    assert m
    subprocess.run(m.group(1), shell=True, check=True)
    subprocess.run(m.group(2), shell=True, check=True)
    status = os.waitpid(p.pid, 0)[1]
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGABRT


def test_hold_kill(tmp_path):
    exe = binary("crash_null")
    p = start_waiting(exe, tmp_path)
    tracer, out = attach_crash(tmp_path, p, "--on-crash=hold")
    go(p)
    assert tracer.wait(timeout=60) == 0
    os.kill(p.pid, signal.SIGKILL)
    status = os.waitpid(p.pid, 0)[1]
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL


@pytest.mark.skipif(not shutil.which("gdb"), reason="no gdb")
def test_hold_gdb_attaches_at_the_fault(tmp_path):
    exe = binary("crash_null", "O0")
    p = start_waiting(exe, tmp_path)
    tracer, out = attach_crash(tmp_path, p, "--on-crash=hold")
    go(p)
    assert tracer.wait(timeout=60) == 0
    gdb = subprocess.run(["gdb", "-nx", "-batch", "-p", str(p.pid),
                          "-ex", "bt 3", "-ex", "kill"],
                         capture_output=True, text=True, timeout=120)
    assert re.search(r"#0 .*level3", gdb.stdout), gdb.stdout + gdb.stderr
    p.wait(timeout=30)


def test_sigint_detaches_cleanly(tmp_path):
    exe = binary("crash_null")
    p = start_waiting(exe, tmp_path)
    tracer, out = attach_crash(tmp_path, p)
    tracer.send_signal(signal.SIGINT)
    assert tracer.wait(timeout=30) == 0
    assert tracer_of(p.pid) == 0 and proc_state(p.pid) in ("S", "R")
    go(p)
    status = os.waitpid(p.pid, 0)[1]
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGSEGV
    assert "crash report" not in out.read_text()


def signal_pending(pid, sig):
    """SIG pending for PID's leader thread or its process (/proc status)."""
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(("SigPnd:", "ShdPnd:")) and \
                    int(line.split()[1], 16) & (1 << (sig - 1)):
                return True
    return False


def test_non_fatal_signals_pass(tmp_path):
    """A handled SIGUSR1 and an ignored SIGTERM reach the process and do
    not end the crash watch."""
    exe = binary("crash_handler")
    p = start_waiting(exe, tmp_path, "handled")
    tracer, out = attach_crash(tmp_path, p)
    os.kill(p.pid, signal.SIGCHLD)  # default action: ignore
    # Taken (no longer pending) and passed on: back in its read.
    assert wait_for(lambda: not signal_pending(p.pid, signal.SIGCHLD) and
                    proc_state(p.pid) == "S", timeout=10), proc_state(p.pid)
    assert tracer.poll() is None
    go(p)
    status = os.waitpid(p.pid, 0)[1]
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 3
    assert tracer.wait(timeout=30) == 0
    assert "exited with status 3 (no crash)" in out.read_text()


@pytest.mark.parametrize("choice", [None, "faults", "all"])
def test_sigterm_from_another_process(tmp_path, choice):
    """master's SIGTERM at `postfix stop` is not a crash: a line saying
    who sent it, no report (unless --crash-signals=all), and the process
    dies of it as it would."""
    exe = binary("crash_null")
    p = start_waiting(exe, tmp_path)
    options = ["--crash-signals=" + choice] if choice else []
    tracer, out = attach_crash(tmp_path, p, *options)
    os.kill(p.pid, signal.SIGTERM)
    status = os.waitpid(p.pid, 0)[1]
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGTERM
    assert tracer.wait(timeout=30) == 0
    text = out.read_text()
    line = ("process %d was killed by SIGTERM from process %d (uid %d) (no "
            "report: sent by another process; --crash-signals=all reports "
            "it)\n" % (p.pid, os.getpid(), os.getuid()))
    if choice == "all":
        assert line not in text
        assert re.search(r"^ +Signal: SIGTERM ", text, re.M), text
    else:
        assert text == line


def test_sigterm_from_another_process_json(tmp_path):
    exe = binary("crash_null")
    p = start_waiting(exe, tmp_path)
    tracer, out = attach_crash(tmp_path, p, "--json")
    os.kill(p.pid, signal.SIGTERM)
    os.waitpid(p.pid, 0)
    assert tracer.wait(timeout=30) == 0
    docs = [json.loads(line) for line in out.read_text().splitlines()]
    assert docs == [{"type": "exit", "pid": p.pid, "status": None,
                     "signal": signal.SIGTERM, "sender_pid": os.getpid(),
                     "sender_uid": os.getuid(), "report": False}]


def test_crash_signals_needs_crash_and_a_known_word():
    for argv, word in ((["run", "--crash-signals=all", "--", "true"], "--crash"),
                       (["run", "--crash", "--crash-signals=some", "--",
                         "true"], "'some'")):
        done = subprocess.run([PTRC, *argv], capture_output=True, text=True,
                              timeout=30)
        assert done.returncode == 64 and word in done.stderr, done.stderr
        assert done.stderr.count("\n") == 1
