"""Shared helpers for ptrc's integration tests.

PTRC_BUILD (set by tests/run) is the meson build directory: the ptrc binary
is $PTRC_BUILD/src/ptrc and fixtures are $PTRC_BUILD/fixtures/NAME[-m32].
"""
import os
import re
import signal
import subprocess
import time

import pytest

BUILD = os.environ.get("PTRC_BUILD") or os.path.join(
    os.path.dirname(__file__), "..", "..", "build")
BUILD = os.path.abspath(BUILD)
PTRC = os.path.join(BUILD, "src", "ptrc")
FIXTURES = os.path.join(BUILD, "fixtures")


def fixture(name, m32=False):
    """Path of a built fixture; skips the test when the -m32 build is absent."""
    path = os.path.join(FIXTURES, name + ("-m32" if m32 else ""))
    if not os.path.exists(path):
        if m32:
            pytest.skip("no -m32 build of %s (gcc-multilib missing?)" % name)
        raise FileNotFoundError(path)
    return path


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


SYSCALL_LINE = re.compile(
    r"^(?:\[pid\s+(?P<pid>\d+)\] )?(?P<name>\w+)\((?P<args>.*)\)\s+= (?P<ret>.*)$")


def syscalls(lines, name=None):
    """Parsed complete syscall lines: dicts with pid, name, args, ret."""
    found = []
    for line in lines:
        m = SYSCALL_LINE.match(line)
        if m and (name is None or m.group("name") == name):
            found.append(m.groupdict())
    return found


def proc_state(pid):
    """The one-letter state of /proc/PID/stat, or None when gone."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            data = f.read()
    except OSError:
        return None
    return data[data.rindex(")") + 2]


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
