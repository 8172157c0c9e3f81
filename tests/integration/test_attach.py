"""ptrc attach: every thread traced from the attach on, and ptrc ends by
itself when the traced process ends."""
import re
import signal
import subprocess

import pytest

from conftest import (I386, M32, PTRC, attribute, calls, check_unfinished_pairs,
                      fixture, read_lines, start_attach, tasks_of, tracer_of,
                      wait_for)

# the main thread in its read(0, ...), after any pid prefix
READY_READ = r"^(?:\[pid +\d+\] |\d+ +)?read\(0, "


def start_wait_go(background, m32=False, threads=0, then=()):
    fx = background([fixture("fx_wait_go", m32), str(threads), *then],
                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert fx.proc.stdout.readline() == "%d ready\n" % fx.pid
    assert wait_for(lambda: len(tasks_of(fx.pid)) == threads + 1)
    return fx


def go(fx):
    fx.proc.stdin.write("g")
    fx.proc.stdin.close()


@M32
@pytest.mark.parametrize("threads", [0, 3])
def test_attach_traces_every_thread(tmp_path, background, m32, threads):
    fx = start_wait_go(background, m32, threads)
    tids = tasks_of(fx.pid)
    tracer, out = start_attach(background, tmp_path, fx.pid, ready=READY_READ)
    assert tracer.proc.poll() is None
    go(fx)
    # ptrc ends by itself once the process has exited.
    assert tracer.proc.wait(timeout=20) == 0, tracer.proc.stderr.read()
    assert fx.proc.wait(timeout=5) == 0
    assert fx.proc.stdout.read() == "go received\n"
    assert tracer.proc.stderr.read() == ""

    lines = read_lines(out)
    events = attribute(lines, first_pid=fx.pid)
    check_unfinished_pairs(events)
    found = calls(events)
    main = [(c["name"], c["args"], c["ret"]) for c in found if c["pid"] == fx.pid]
    assert main[:3] == [
        ("read", '0, "g", 1', "1"),
        ("openat", 'AT_FDCWD, "/nonexistent/ptrc-wait-go", ' + main[1][1].split(", ", 2)[2],
         "-1 ENOENT (No such file or directory)"),
        ("write", '1, "go received\\n", 12', "12"),
    ]
    assert not [c for c in found if c["name"] == "execve"]
    writers = {}
    for c in found:
        m = re.fullmatch(r'3, "thread-(\d+)\\n", 9', c["args"]) if c["name"] == "write" else None
        if m:
            writers.setdefault(int(m.group(1)), []).append(c["pid"])
    assert sorted(writers) == list(range(threads))
    assert all(len(p) == 3 and len(set(p)) == 1 for p in writers.values()), writers
    assert {p[0] for p in writers.values()} == set(tids) - {fx.pid}
    for tid in tids:
        assert (tid, "+++ exited with 0 +++") in events
    assert events[-1] == (fx.pid, "+++ exited with 0 +++")


@M32
def test_attach_32bit_note_once_per_process(tmp_path, background, m32):
    """Attaching seizes each thread on its own: still one note per process."""
    fx = start_wait_go(background, m32, 3)
    tracer, out = start_attach(background, tmp_path, fx.pid, ready=READY_READ)
    go(fx)
    assert tracer.proc.wait(timeout=20) == 0
    notes = [l for l in read_lines(out) if re.match(r"^(\[pid\s+\d+\] |\d+ +)?\[ .* \]$", l)]
    assert len(notes) == (1 if m32 else 0), notes
    if m32:
        assert str(fx.pid) in notes[0]


def test_attach_by_thread_id_attaches_the_process(tmp_path, background):
    fx = start_wait_go(background, threads=2)
    thread = [t for t in tasks_of(fx.pid) if t != fx.pid][0]
    tracer, out = start_attach(background, tmp_path, thread, ready=READY_READ)
    assert all(tracer_of(t) == tracer.pid for t in tasks_of(fx.pid))
    go(fx)
    assert tracer.proc.wait(timeout=20) == 0
    assert fx.proc.wait(timeout=5) == 0
    events = attribute(read_lines(out), first_pid=fx.pid)
    assert events[-1] == (fx.pid, "+++ exited with 0 +++")


def test_attach_several_processes(tmp_path, background):
    a = start_wait_go(background)
    b = start_wait_go(background, threads=1)
    out = tmp_path / "two.txt"
    tracer = background([PTRC, "attach", "-o", str(out), str(a.pid), str(b.pid)],
                        stderr=subprocess.PIPE, text=True)
    assert wait_for(lambda: all(tracer_of(t) == tracer.pid
                                for p in (a, b) for t in tasks_of(p.pid)))
    assert wait_for(lambda: len(re.findall(r"^(%d|%d) +read\(0, " % (a.pid, b.pid),
                                           out.read_text(), re.M)) == 2)
    go(a)
    assert a.proc.wait(timeout=10) == 0
    assert wait_for(lambda: re.search(r"^%d +\+\+\+ exited with 0 \+\+\+$" % a.pid,
                                      out.read_text(), re.M))
    assert tracer.proc.poll() is None   # b is still traced
    go(b)
    assert tracer.proc.wait(timeout=20) == 0
    assert b.proc.wait(timeout=5) == 0
    events = attribute(read_lines(out), first_pid=a.pid)
    for p in (a, b):
        assert [c["ret"] for c in calls(events) if c["pid"] == p.pid and c["name"] == "write"
                and c["args"].startswith("1, ")] == ["12"]
        assert (p.pid, "+++ exited with 0 +++") in events


def test_attach_sees_signals_and_death(tmp_path, background):
    fx = start_wait_go(background)
    tracer, out = start_attach(background, tmp_path, fx.pid, ready=READY_READ)
    fx.proc.send_signal(signal.SIGTERM)
    assert fx.proc.wait(timeout=10) == -signal.SIGTERM
    assert tracer.proc.wait(timeout=10) == 0
    lines = read_lines(out)
    assert re.match(r"^--- SIGTERM \{si_signo=SIGTERM, si_code=SI_USER, si_pid=\d+, "
                    r"si_uid=0\} ---$", lines[-2]), lines
    assert lines[-1] == "+++ killed by SIGTERM +++"


@pytest.mark.parametrize("follow", [False, True], ids=["no-f", "f"])
def test_attach_fork(tmp_path, background, follow):
    fx = start_wait_go(background, then=["fork"])
    opts = ["-f"] if follow else []
    tracer, out = start_attach(background, tmp_path, fx.pid, *opts, ready=READY_READ)
    go(fx)
    assert tracer.proc.wait(timeout=20) == 0
    assert fx.proc.wait(timeout=5) == 0
    assert fx.proc.stdout.read() == "go received\nforked child\n"
    events = attribute(read_lines(out), first_pid=fx.pid)
    check_unfinished_pairs(events)
    found = calls(events)
    clones = [c for c in found if c["name"] in ("clone", "fork") and c["pid"] == fx.pid]
    assert len(clones) == 1
    child = int(clones[0]["ret"])
    child_writes = [(c["pid"], c["args"]) for c in found
                    if c["name"] == "write" and "forked child" in c["args"]]
    if follow:
        assert child_writes == [(child, '1, "forked child\\n", 13')]
        assert (child, "+++ exited with 7 +++") in events
    else:
        assert child_writes == []
        assert {p for p, t in events} == {fx.pid}
    assert events[-1] == (fx.pid, "+++ exited with 0 +++")


@M32
@I386  # both ways: the native program execs the i386 one
def test_attach_then_exec(tmp_path, background, m32):
    """An attached process that execs is traced on into the new program
    (here of the other word size)."""
    target = fixture("fx_basic", not m32)
    fx = start_wait_go(background, m32, 0, then=["exec", target, "4", str(tmp_path)])
    tracer, out = start_attach(background, tmp_path, fx.pid, ready=READY_READ)
    go(fx)
    assert tracer.proc.wait(timeout=20) == 0
    assert fx.proc.wait(timeout=5) == 4
    lines = read_lines(out)
    events = attribute(lines, first_pid=fx.pid)
    check_unfinished_pairs(events)
    found = calls(events)
    execs = [c for c in found if c["name"] == "execve"]
    assert [(c["pid"], c["ret"]) for c in execs] == [(fx.pid, "0")]
    assert execs[0]["args"].startswith('"%s", ' % target)
    after = events[[t for p, t in events].index(next(
        t for p, t in events if t.startswith("execve("))):]
    assert ("write", '1, "hello from fx_basic\\n", 20') in [
        (c["name"], c["args"]) for c in calls(after)]
    assert events[-1] == (fx.pid, "+++ exited with 4 +++")
    # A note per change of personality, as strace's: the 32-bit program's
    # (before the exec, or after it when the native one execs it), and the
    # return to 64 bits when the 32-bit one execs the native one.
    notes = [i for i, (p, t) in enumerate(events) if re.match(r"^\[ .* \]$", t)]
    exec_at = [t for p, t in events].index(after[0][1])
    kinds = [("32 bit" in events[i][1], i < exec_at) for i in notes]
    assert kinds == ([(True, True), (False, False)] if m32 else
                     [(True, False)]), [events[i] for i in notes]
