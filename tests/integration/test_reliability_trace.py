"""Reliability of what ptrc shows and does around the edges: nothing lost
under -f with many threads, complete lines when stopped by SIGTERM, group
stops while traced, two ptrc racing for one process, a non-leader thread's
execve under attach, a tracee that exits during its crash report, PID
reuse. Fixtures: rel_count, rel_storm (see test_reliability.py)."""
import collections
import datetime
import json
import os
import re
import signal
import subprocess
import time

import pytest

from conftest import (PTRC, attribute, calls, check_unfinished_pairs, fixture,
                      proc_state, ptrc, read_lines, start_attach, tasks_of,
                      tracer_of, wait_for)
from test_reliability import (Storm, expect_ready, figures, scaled,
                              stopped_tasks)

ALREADY_TRACED = 67


def getppid_counts_text(lines):
    events = attribute(lines, strict=False)
    check_unfinished_pairs(events)
    counts = collections.Counter()
    rets = {}
    for c in calls(events):
        if c["name"] == "getppid":
            counts[c["pid"]] += 1
            rets.setdefault(c["pid"], set()).add(c["ret"])
    return counts, rets


@pytest.mark.parametrize("json_out", [False, True], ids=["text", "json"])
def test_nothing_lost_with_many_threads(tmp_path, json_out):
    """rel_count: P processes x T threads x K getppid() calls, all at once
    (a barrier): under -f each call appears exactly once, with its
    result."""
    threads, per, procs = 48, scaled(150), 3
    out = tmp_path / "count.txt"
    opts = ["--json"] if json_out else []
    done = ptrc("run", "-f", "-o", str(out), *opts, "--",
                fixture("rel_count"), str(threads), str(per), str(procs),
                timeout=120)
    assert done.returncode == 0, done.stderr
    ran = re.findall(r"^rel_count (\d+): %d x %d$" % (threads, per),
                     done.stdout, re.M)
    assert len(ran) == procs, done.stdout
    lines = read_lines(out)
    if json_out:
        counts = collections.Counter()
        rets = {}
        for line in lines:
            ev = json.loads(line)
            if ev.get("syscall") == "getppid":
                counts[ev["tid"]] += 1
                rets.setdefault(ev["tid"], set()).add(str(ev["return"]))
    else:
        counts, rets = getppid_counts_text(lines)
    # Each process's main thread calls getppid() once itself.
    mains = {int(p) for p in ran}
    workers = {t: n for t, n in counts.items() if t not in mains}
    assert len(workers) == threads * procs, (len(workers), sorted(counts.items())[:5])
    wrong = {t: n for t, n in workers.items() if n != per}
    assert wrong == {}, sorted(wrong.items())[:10]
    assert all(counts[m] == 1 for m in mains), [counts[m] for m in mains]
    assert all(len(r) == 1 for r in rets.values())
    figures("nothing lost (%s): %d processes x %d threads x %d getppid = %d "
            "calls, each seen once" % ("json" if json_out else "text", procs,
                                       threads, per, sum(workers.values())))


LINE = re.compile(
    r"^(\[pid\s+\d+\] |\d+ +)?(\d\d:\d\d:\d\d\.\d{6} )?"
    r"(\w+\(.*\)\s+= .*"                     # complete
    r"|\w+\(.* <unfinished \.\.\.>"           # unfinished
    r"|<\.\.\. \w+ resumed>.*\)\s+= .*"       # resumed
    r"|.* <detached \.\.\.>"                  # cut by the detach
    r"|--- .* ---|\+\+\+ .* \+\+\+)$")


@pytest.mark.parametrize("json_out", [False, True], ids=["text", "json"])
def test_sigterm_leaves_complete_lines(tmp_path, background, json_out):
    """ptrc attach -f -tt stopped by SIGTERM mid-trace (4 threads in a
    tight loop): the file ends with a newline, every line is whole (a
    detach mark the only cut allowed), and the last events are there
    (the last line is from the last 0.3 s before the signal)."""
    rounds = scaled(5)
    for i in range(rounds):
        fx = background([fixture("rel_count"), "forever"], stdout=subprocess.PIPE,
                        text=True)
        expect_ready(fx)
        opts = ["-f", "-tt"] + (["--json"] if json_out else [])
        tracer, out = start_attach(background, tmp_path, fx.pid, *opts)
        time.sleep(0.2 + 0.1 * i)
        sent = time.time()
        tracer.proc.send_signal(signal.SIGTERM)
        assert tracer.proc.wait(timeout=5) == 0, tracer.proc.stderr.read()
        assert fx.proc.poll() is None
        assert wait_for(lambda: not stopped_tasks([fx.pid]), timeout=2)
        data = out.read_bytes()
        assert data.endswith(b"\n"), data[-200:]
        lines = data.decode().splitlines()
        assert len(lines) > 100
        if json_out:
            events = [json.loads(l) for l in lines]
            last = max(e["time"] for e in events if "time" in e)
        else:
            bad = [l for l in lines if not LINE.match(l)]
            assert bad == [], bad[:5]
            stamp = re.search(r"(\d\d):(\d\d):(\d\d\.\d{6})", lines[-1])
            now = datetime.datetime.fromtimestamp(sent)
            last_dt = now.replace(hour=int(stamp.group(1)), minute=int(stamp.group(2)),
                                  second=0, microsecond=0) + \
                datetime.timedelta(seconds=float(stamp.group(3)))
            last = last_dt.timestamp()
        assert sent - 0.3 < last <= sent + 0.5, (sent, last)
        fx.stop()


def cpu_ns(pid):
    """CPU time of PID's threads so far (schedstat), by thread."""
    times = {}
    for t in tasks_of(pid):
        try:
            with open("/proc/%d/task/%d/schedstat" % (pid, t)) as f:
                times[t] = int(f.read().split()[0])
        except OSError:
            pass
    return times


@pytest.mark.parametrize("opts", [[], ["-f"], ["--crash"]],
                         ids=["trace", "f", "crash"])
def test_group_stop_while_traced(tmp_path, background, opts):
    """kill -STOP of a traced busy process really stops every thread
    (state T) and keeps it stopped; kill -CONT resumes every one; then
    ptrc detaches and the process finishes its work unharmed."""
    storm = Storm(background)
    pid = storm.main.pid
    tracer, out = start_attach(background, tmp_path, pid, *opts)
    for round in range(3):
        time.sleep(0.1)
        os.kill(pid, signal.SIGSTOP)
        # Traced, a group-stop is a ptrace stop: "t", as under strace.
        assert wait_for(lambda: set(proc_state(t) for t in tasks_of(pid)) <= {"t", "T"},
                        timeout=5), [(t, proc_state(t)) for t in tasks_of(pid)]
        # "t" is any ptrace stop: a thread in a syscall stop that ptrc has
        # not resumed yet still runs a little on its way into the
        # group-stop. Wait until the CPU time settles, then it must stay.
        def settled():
            first = cpu_ns(pid)
            time.sleep(0.05)
            return cpu_ns(pid) == first
        assert wait_for(settled, timeout=5), "threads kept running while stopped"
        before = cpu_ns(pid)
        time.sleep(0.2)
        assert set(proc_state(t) for t in tasks_of(pid)) <= {"t", "T"}
        assert cpu_ns(pid) == before, "threads ran while stopped"
        os.kill(pid, signal.SIGCONT)
        assert wait_for(lambda: "T" not in [proc_state(t) for t in tasks_of(pid)],
                        timeout=5), [(t, proc_state(t)) for t in tasks_of(pid)]
    assert tracer.proc.poll() is None
    tracer.proc.send_signal(signal.SIGINT)
    assert tracer.proc.wait(timeout=5) == 0, tracer.proc.stderr.read()
    assert wait_for(lambda: not stopped_tasks(storm.pids), timeout=2)
    storm.finish()


def traces_all(tracer, pid):
    """Is every thread of PID traced by the process TRACER?"""
    tids = tasks_of(pid)
    return bool(tids) and all(tracer_of(t) == tracer.pid for t in tids)


def test_two_ptrc_racing_for_one_process(background):
    """Two `ptrc attach` started together on one busy process: one traces,
    the other says "already traced by pid N" naming it (or both trace
    nothing when each got some threads: then both say so); neither
    hangs, and the process is left running."""
    storm = Storm(background)
    rounds = scaled(20)
    outcomes = collections.Counter()
    for i in range(rounds):
        pair = [subprocess.Popen([PTRC, "attach", "-o", "/dev/null",
                                  str(storm.main.pid)],
                                 stderr=subprocess.PIPE, text=True)
                for _ in range(2)]
        assert wait_for(lambda: any(p.poll() is not None for p in pair),
                        timeout=10), "neither gave up"
        # The other one decides too: it gives up as well, or traces
        # every thread.
        assert wait_for(lambda: all(p.poll() is not None or
                                    traces_all(p, storm.main.pid)
                                    for p in pair), timeout=10), \
            [(t, tracer_of(t)) for t in tasks_of(storm.main.pid)]
        failed = [p for p in pair if p.poll() is not None]
        for p in failed:
            assert p.returncode == ALREADY_TRACED, (p.returncode, p.stderr.read())
            other = [q for q in pair if q is not p][0]
            err = p.stderr.read()
            assert re.fullmatch(r"ptrc: process %d is already traced by pid %d "
                                r"\(ptrc\)\n" % (storm.main.pid, other.pid), err), err
        running = [p for p in pair if p.poll() is None]
        outcomes[len(running)] += 1
        for p in running:
            assert tracer_of(storm.main.pid) == p.pid
            p.send_signal(signal.SIGINT)
            assert p.wait(timeout=5) == 0, p.stderr.read()
        assert wait_for(lambda: not stopped_tasks(storm.pids), timeout=2)
        assert all(tracer_of(t) in (0, None) for t in tasks_of(storm.main.pid))
    storm.finish()
    figures("two ptrc racing: %d rounds, one tracing in %d, none in %d" % (
        rounds, outcomes[1], outcomes[0]))
    assert outcomes[2] == 0


def test_non_leader_execve_under_attach(tmp_path, background):
    """`rel_storm execloop` execs itself from a non-leader thread about
    every 3 ms: attached, each execve shows the leader superseded and the
    process goes on under its pid; ptrc ends with the process."""
    loop = background([fixture("rel_storm"), "execloop", "0"],
                      stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                      stderr=subprocess.PIPE, text=True)
    expect_ready(loop)
    tracer, out = start_attach(background, tmp_path, loop.pid, "-f")
    assert wait_for(lambda: out.read_text().count("superseded") >= 5)
    loop.proc.stdin.close()
    assert loop.proc.wait(timeout=10) == 0, loop.proc.stderr.read()
    assert tracer.proc.wait(timeout=10) == 0, tracer.proc.stderr.read()
    lines = read_lines(out)
    events = attribute(lines, first_pid=loop.pid, strict=False)
    check_unfinished_pairs(events)
    sup = [t for p, t in events if t.startswith("+++ superseded by execve")]
    # The execve's end shows under the leader's pid (the pid switch).
    execs = [t for p, t in events if re.match(r"^(<\.\.\. )?execve\b.*\)\s+= 0$", t)]
    assert len(sup) >= 5
    assert abs(len(execs) - len(sup)) <= 1, (len(execs), len(sup))
    assert events[-1] == (loop.pid, "+++ exited with 0 +++")


def divider_state(pid):
    """State of crash_threads' dividing thread (None: not there yet)."""
    for t in tasks_of(pid):
        try:
            with open("/proc/%d/task/%d/comm" % (pid, t)) as f:
                if f.read() == "divider\n":
                    return proc_state(t)
        except OSError:
            pass
    return None


def test_tracee_exits_during_crash_report(tmp_path, background):
    """A crashing thread's report is being written while another thread's
    SIGKILL ends the process: ptrc --crash does not hang or crash, and
    exits once the process is gone."""
    for i in range(scaled(5)):
        # "wait": it divides by zero once told to, not at a time of its
        # own that a slow attach may miss.
        fx = background([fixture("crash_threads-O0"), "wait"],
                        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                        stderr=subprocess.PIPE)
        assert fx.proc.stdout.readline() == b"ready\n"
        out = tmp_path / ("crash%d.txt" % i)
        tracer = background([PTRC, "attach", "--crash", "-o", str(out),
                             str(fx.pid)], stderr=subprocess.PIPE, text=True)
        assert wait_for(lambda: tracer.proc.poll() is not None or
                        all(tracer_of(t) == tracer.pid for t in tasks_of(fx.pid)),
                        timeout=10), "ptrc did not attach"
        fx.proc.stdin.write(b"go\n")
        fx.proc.stdin.flush()
        # The divider stopped at its SIGFPE: ptrc is making the report.
        assert wait_for(lambda: tracer.proc.poll() is not None or
                        divider_state(fx.pid) == "t", timeout=10), \
            [(t, proc_state(t)) for t in tasks_of(fx.pid)]
        time.sleep(0.01 * i)
        fx.proc.kill()
        assert tracer.proc.wait(timeout=10) in (0,), tracer.proc.stderr.read()
        fx.proc.wait(timeout=5)


def test_pid_reuse_after_exit(tmp_path, background):
    """A traced child exits and its PID goes to a new, unrelated process
    (ns_last_pid): the new process is not traced or stopped, and ptrc
    still ends with the traced process."""
    last_pid = "/proc/sys/kernel/ns_last_pid"
    if not os.access(last_pid, os.W_OK):
        pytest.skip("cannot write %s" % last_pid)
    storm = Storm(background)
    tracer, out = start_attach(background, tmp_path, storm.main.pid, "-f")
    reused = 0
    for attempt in range(50):
        m = re.findall(r"^(\d+) +\+\+\+ exited with \d+ \+\+\+$",   # -f -o
                       out.read_text(), re.M)
        gone = [int(p) for p in m if int(p) not in storm.pids and
                not os.path.exists("/proc/%s" % p)]
        if not gone:
            time.sleep(0.02)
            continue
        with open(last_pid, "w") as f:
            f.write(str(gone[-1] - 1))
        new = subprocess.Popen(["sleep", "0.3"])
        try:
            if new.pid != gone[-1]:
                continue
            reused += 1
            time.sleep(0.05)
            assert tracer_of(new.pid) == 0
            assert proc_state(new.pid) not in ("t", "T")
        finally:
            assert new.wait(timeout=5) == 0
        if reused >= 3:
            break
    if not reused:
        pytest.skip("no PID could be reused")
    tracer.proc.send_signal(signal.SIGINT)
    assert tracer.proc.wait(timeout=5) == 0, tracer.proc.stderr.read()
    storm.finish()
