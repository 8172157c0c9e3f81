"""Shared helpers for ptrc's integration tests.

PTRC_BUILD (set by tests/run) is the meson build directory: the ptrc binary
is $PTRC_BUILD/src/ptrc and fixtures are $PTRC_BUILD/fixtures/NAME[-m32].

Tests that run i386 programs carry the mark `i386` (whole tests, or one
parameter through i386(value)). PTRC_I386 (set by tests/run, else probed
here with i386_probe.py) says where they run: "native" here; "refused"
(this kernel will not execute them) or "guest" (tests/run --i386-guest)
skip them here, and tests/run runs them in the x86_64 guest
(tests/guest) with `-m i386`; "absent" (no -m32 build) skips them.

Every test has a time limit (limits below): past it, the test fails with
the states of the processes it started instead of hanging the run.
"""
import contextlib
import os
import re
import signal
import subprocess
import time

import pytest

import i386_probe

BUILD = os.environ.get("PTRC_BUILD") or os.path.join(
    os.path.dirname(__file__), "..", "..", "build")
BUILD = os.path.abspath(BUILD)
PTRC = os.path.join(BUILD, "src", "ptrc")
FIXTURES = os.path.join(BUILD, "fixtures")

# A shell's background job (`cmd &` without job control) starts with SIGINT
# and SIGQUIT ignored, and every process started from here would inherit
# that: a SIGINT a test sends to ptrc before ptrc installs its handler
# would then be lost instead of ending it. Start every test process with
# the dispositions it has when started from a terminal.
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)
if signal.getsignal(signal.SIGQUIT) == signal.SIG_IGN:
    signal.signal(signal.SIGQUIT, signal.SIG_DFL)


# ---------------------------------------------------------------------------
# i386 programs: where their tests run.

I386 = pytest.mark.i386


def i386(*values, id=None):
    """Parameter values that make their test run i386 programs."""
    return pytest.param(*values, marks=I386, id=id)


def i386_mode():
    mode = os.environ.get("PTRC_I386") or i386_probe.probe(BUILD)
    if mode not in ("native", "refused", "guest", "absent"):
        raise pytest.UsageError("PTRC_I386=%r: native, refused, guest or absent"
                                % mode)
    return mode


I386_SKIP_REASON = {
    "refused": "this kernel does not execute i386 programs (ENOEXEC): "
               "tests/run runs the i386 tests in the x86_64 guest",
    "guest": "--i386-guest: tests/run runs the i386 tests in the x86_64 guest",
    "absent": "no -m32 build (gcc-multilib missing?)",
}


def pytest_configure(config):
    config.addinivalue_line("markers", "i386: the test runs i386 programs")
    config.addinivalue_line(
        "markers", "time_limit(seconds): this test's limit instead of "
        "DEFAULT_TIME_LIMIT")


def pytest_collection_modifyitems(config, items):
    mode = i386_mode()
    if mode == "native":
        return
    skip = pytest.mark.skip(reason=I386_SKIP_REASON[mode])
    for item in items:
        if item.get_closest_marker("i386"):
            item.add_marker(skip)


_running_i386_test = False  # set for each test by pytest_runtest_setup


def program(path):
    """PATH of a built program, checked: a test that runs an i386 program
    (NAME-m32, NAME_m32) must be marked i386, or it would neither be
    skipped where i386 cannot run nor be run in the guest."""
    base = os.path.basename(path)
    if re.search(r"[-_]m32\b", base):
        assert _running_i386_test, \
            "%s is an i386 program: mark the test (or its parameter) i386" % base
        if not os.path.exists(path):
            pytest.skip("no -m32 build of %s (gcc-multilib missing?)" % base)
    elif not os.path.exists(path):
        raise FileNotFoundError(path)
    return path


def fixture(name, m32=False):
    """Path of a built fixture (NAME, or NAME-m32 when M32)."""
    return program(os.path.join(FIXTURES, name + ("-m32" if m32 else "")))


# ---------------------------------------------------------------------------
# Time limits. Each phase of a test (setup, call, teardown) gets the
# test's limit; scaled by PTRC_TEST_TIME_SCALE (the emulated guests) and
# PTRC_STRESS_SCALE (bigger reliability runs).

DEFAULT_TIME_LIMIT = 180


class TimeLimitExceeded(Exception):
    pass


def time_limit(item):
    mark = item.get_closest_marker("time_limit")
    seconds = mark.args[0] if mark else DEFAULT_TIME_LIMIT
    scale = float(os.environ.get("PTRC_TEST_TIME_SCALE") or 1)
    scale *= max(1.0, float(os.environ.get("PTRC_STRESS_SCALE") or 1))
    return seconds * scale


def descendants(root):
    """The pids of every process below ROOT (children, theirs...), from
    /proc."""
    parent = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open("/proc/%s/stat" % name, errors="replace") as f:
                    data = f.read()
                parent[int(name)] = int(data[data.rindex(")") + 2:].split()[1])
            except (OSError, ValueError, IndexError):
                pass
    found, frontier = [], [root]
    while frontier:
        p = frontier.pop()
        kids = sorted(c for c, pp in parent.items() if pp == p)
        found.extend(kids)
        frontier.extend(kids)
    return found


def process_report(pid):
    """One line per thread of PID: state, wchan, tracer, command line."""
    def read(path, limit=200):
        try:
            with open(path, "rb") as f:
                return f.read(limit).replace(b"\0", b" ").decode(
                    "ascii", "backslashreplace").strip()
        except OSError:
            return "?"
    cmdline = read("/proc/%d/cmdline" % pid)
    lines = []
    for tid in tasks_of(pid) or [pid]:
        lines.append("  %d/%d %s wchan=%s tracer=%s  %s" % (
            pid, tid, proc_state(tid) or "gone",
            read("/proc/%d/task/%d/wchan" % (pid, tid)) or "-",
            tracer_of(tid), cmdline))
    return lines


def _time_is_up(limit):
    def handler(signum, frame):
        report = []
        for pid in descendants(os.getpid()):
            report.extend(process_report(pid))
        raise TimeLimitExceeded(
            "the test ran past its time limit (%g s), waiting where the "
            "traceback's '>' lines point. Processes it started (pid/tid "
            "state wchan tracer command):\n%s" % (limit, "\n".join(report) or "  none"))
    return handler


@contextlib.contextmanager
def _limited(item):
    limit = time_limit(item)
    old = signal.signal(signal.SIGALRM, _time_is_up(limit))
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item):
    global _running_i386_test
    _running_i386_test = item.get_closest_marker("i386") is not None
    with _limited(item):
        yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    with _limited(item):
        yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item):
    with _limited(item):
        yield


def ptrc(*args, timeout=60, **kwargs):
    """Run ptrc to completion; returns CompletedProcess with text output."""
    return subprocess.run([PTRC, *args], capture_output=True, text=True,
                          errors="replace", timeout=timeout, **kwargs)


def run_traced(tmp_path, command, *options, timeout=60):
    """`ptrc run OPTIONS -o FILE -- COMMAND`; returns (completed, trace lines)."""
    out = tmp_path / "trace.txt"
    done = ptrc("run", "-o", str(out), *options, "--", *command, timeout=timeout)
    lines = out.read_text(errors="replace").splitlines() if out.exists() else []
    return done, lines


# The pid at the head of a trace line, in strace 6.1's two forms: "1234  "
# ("%-5d ") in -o output with -f or several -p, "[pid  1234] " to stderr
# while several tasks live; "<comm>" after the number with -Y.
PID_PREFIX = (r"(?:\[pid +(?P<pid>\d+)(?:<[^>]*>)?\] "
              r"|(?P<col>\d+)(?:<[^>]*> | {1,5}))")

SYSCALL_LINE = re.compile(
    r"^(?:" + PID_PREFIX + r")?(?P<name>\w+)\((?P<args>.*)\)\s+= (?P<ret>.*)$")


def syscalls(lines, name=None):
    """Parsed complete syscall lines: dicts with pid, name, args, ret."""
    found = []
    for line in lines:
        m = SYSCALL_LINE.match(line)
        if m and (name is None or m.group("name") == name):
            found.append(dict(pid=m.group("pid") or m.group("col"),
                              name=m.group("name"), args=m.group("args"),
                              ret=m.group("ret")))
    return found


def proc_state(pid):
    """The one-letter state of /proc/PID/stat, or None when gone. (comm
    is the process's to choose: any bytes, ')' included.)"""
    try:
        with open("/proc/%d/stat" % pid, errors="replace") as f:
            data = f.read()
    except OSError:
        return None
    return data[data.rindex(")") + 2]


def alive(pid):
    """True while PID exists and is not a zombie."""
    try:
        with open("/proc/%d/stat" % pid, errors="replace") as f:
            data = f.read()
    except OSError:
        return False
    return data[data.rindex(")") + 2] != "Z"


def tracer_of(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("TracerPid:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return 0


def wait_for(predicate, timeout=10.0, interval=0.01):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()


class Background:
    """A process started for a test, killed at teardown if still alive."""

    def __init__(self, argv, **kwargs):
        self.proc = subprocess.Popen(argv, **kwargs)

    @property
    def pid(self):
        return self.proc.pid

    def stop(self):
        if self.proc.poll() is None:
            try:
                os.kill(self.proc.pid, signal.SIGCONT)
                self.proc.kill()
            except ProcessLookupError:
                pass
            self.proc.wait(timeout=10)


@pytest.fixture
def background():
    """Start processes with background(argv, **popen_kwargs); all are
    killed when the test ends."""
    started = []

    def start(argv, **kwargs):
        b = Background(argv, **kwargs)
        started.append(b)
        return b

    yield start
    for b in started:
        b.stop()


# ---------------------------------------------------------------------------
# Helpers for the foundation tests (fixtures fx_*).

M32 = pytest.mark.parametrize("m32", [False, i386(True)], ids=["native", "m32"])


def split_pid(line):
    """(pid, rest) of a trace line: "[pid N] " or -o's "%-5d " (its exact
    width: an -l indentation after it is kept), "<comm>" after the number
    with -Y; (None, LINE) without a prefix."""
    m = re.match(r"^\[pid +(\d+)(?:<[^>]*>)?\] ", line)
    if m:
        return int(m.group(1)), line[m.end():]
    m = re.match(r"^(\d+)(<[^>]*>)? ", line)
    if m and m.group(2):
        return int(m.group(1)), line[m.end():]
    if m:
        head = "%-5s " % m.group(1)
        if line.startswith(head):
            return int(m.group(1)), line[len(head):]
    return None, line


def unprefixed(line):
    """LINE without its pid prefix, whichever form."""
    return split_pid(line)[1]


WALL_TIME = re.compile(r"^\d\d:\d\d:\d\d\.\d{6} ")
UNFINISHED = re.compile(r"^(?P<name>\w+)\((?P<args>.*) <unfinished \.\.\.>$")
RESUMED = re.compile(
    r"^<\.\.\. (?P<name>\w+) resumed>(?P<args>.*)\)\s+= (?P<ret>.*)$")
COMPLETE = re.compile(r"^(?P<name>\w+)\((?P<args>.*)\)\s+= (?P<ret>.*)$")
NEW_TASK = re.compile(r"^(?:<\.\.\. )?(?:clone3?|v?fork)\b.*= (?P<pid>\d+)$")
SUPERSEDED = re.compile(r"^\+\+\+ superseded by execve in pid (?P<pid>\d+) \+\+\+$")


def attribute(lines, first_pid=None, strict=True):
    """Each trace line as (pid, text): the pid prefix ("[pid N] " or -o's
    "N     ") and a -tt time stripped. A line without a prefix belongs to
    the only tracee alive;
    FIRST_PID is the tracee of the first lines (None: the value returned
    by the first set_tid_address, else the first prefixed task that no
    clone/fork created). STRICT: fail on a line without a prefix while
    several tasks live (with -e filters the tasks cannot always be known:
    such lines get pid None)."""
    created = set()
    out = []
    unknown = object()
    if first_pid is None:
        # glibc's start-up returns the tid from set_tid_address.
        for line in lines:
            m = re.match(r"^(?:\d\d:\d\d:\d\d\.\d{6} )?set_tid_address\(.*\)\s+= (\d+)", line)
            if m:
                first_pid = int(m.group(1))
                break
    first = unknown if first_pid is None else first_pid
    live = [first]
    for line in lines:
        pid, text = split_pid(line)
        if pid is not None:
            if pid not in live:
                if first is unknown and unknown in live and pid not in created:
                    live[live.index(unknown)] = pid
                    out = [(pid if p is unknown else p, t) for p, t in out]
                    first = pid
                else:
                    live.append(pid)
        else:
            assert len(live) == 1 or not strict, \
                "a line without [pid N] while %d tasks live: %r" % (len(live), line)
            pid = live[0] if len(live) == 1 else None
        text = WALL_TIME.sub("", text, count=1)
        n = NEW_TASK.match(text)
        if n:
            created.add(int(n.group("pid")))
        s = SUPERSEDED.match(text)
        if s:
            gone = int(s.group("pid"))
            if gone in live:
                live.remove(gone)
        elif text.startswith("+++ ") and pid in live:
            live.remove(pid)
        out.append((pid, text))
    return [(None if p is unknown else p, t) for p, t in out]


def calls(events):
    """Complete syscalls from attribute()'s events, an <unfinished ...>
    joined with its <... resumed>: dicts with pid, name, args, ret."""
    pending = {}
    found = []
    for pid, text in events:
        m = UNFINISHED.match(text)
        if m:
            pending[pid] = (m.group("name"), m.group("args"))
            continue
        m = RESUMED.match(text)
        if m and pid in pending:
            name, head = pending.pop(pid)
            found.append(dict(pid=pid, name=name, args=head + m.group("args"),
                              ret=m.group("ret")))
            continue
        m = COMPLETE.match(text)
        if m:
            found.append(dict(pid=pid, **m.groupdict()))
    return found


def check_unfinished_pairs(events):
    """Asserts that <unfinished ...> and <... NAME resumed> pair up per
    task: a resumed line continues that task's last unfinished call of the
    same name; an unfinished call is followed, in its task, by its resumed
    line or by the task's end (+++ ... +++); no line is split needlessly
    (an unfinished line directly followed by its own resumed line)."""
    pending = {}
    previous = None
    for pid, text in events:
        m = RESUMED.match(text) or re.match(
            r"^<\.\.\. (?P<name>\w+) resumed>", text)
        if m:
            assert pid in pending, "resumed without unfinished: %s %r" % (pid, text)
            assert pending.pop(pid) == m.group("name"), (pid, text)
            assert previous != (pid, "unfinished"), \
                "unfinished line directly resumed by the same task: %s %r" % (pid, text)
        elif pid in pending:
            assert text.startswith("+++ "), \
                "task %s went on without resuming %s: %r" % (pid, pending[pid], text)
            del pending[pid]
        s = SUPERSEDED.match(text)
        if s and int(s.group("pid")) in pending:
            # The exec'ing thread goes on under the leader's pid.
            pending[pid] = pending.pop(int(s.group("pid")))
        m = UNFINISHED.match(text)
        if m:
            pending[pid] = m.group("name")
            previous = (pid, "unfinished")
        else:
            previous = (pid, "other")
    return pending


CLOCK_TICKS = re.compile(r"\b(si_[us]time|tms_c?[us]time)=\d+(?: /\* [\d.]+ s \*/)?")


def ticks_as_t(text):
    """TEXT with the CPU times a process accrued (si_utime, tms_stime...,
    and the seconds shown beside them) as NAME=T: they depend on the
    machine's speed and load."""
    return CLOCK_TICKS.sub(r"\1=T", text)


def tasks_of(pid):
    """The thread ids of process PID (empty when it is gone)."""
    try:
        return sorted(int(t) for t in os.listdir("/proc/%d/task" % pid))
    except OSError:
        return []


def read_lines(path):
    try:
        return path.read_text(errors="replace").splitlines()
    except FileNotFoundError:
        return []


def start_attach(background, tmp_path, pid, *options, ready=None):
    """`ptrc attach -o FILE OPTIONS PID` in the background. Waits until
    every thread of PID is traced by it and, when READY (a regex) is given,
    until the trace shows it. Returns (ptrc Background, trace path)."""
    out = tmp_path / "attach.txt"
    tracer = background([PTRC, "attach", "-o", str(out), *options, str(pid)],
                        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                        text=True)
    def attached():
        tids = tasks_of(pid)
        return tids and all(tracer_of(t) == tracer.pid for t in tids)
    assert wait_for(attached), "ptrc did not attach to %d: %s" % (
        pid, tracer.proc.poll() is not None and tracer.proc.stderr.read())
    if ready:
        assert wait_for(lambda: re.search(ready, out.read_text(errors="replace"),
                                          re.M)), \
            "trace never showed %r:\n%s" % (ready, out.read_text())
    return tracer, out
