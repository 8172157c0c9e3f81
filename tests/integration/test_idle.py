"""An idle daemon under ptrc costs nothing: a ptrc whose tracee is blocked
(a daemon in accept or read) makes no syscall and is never woken until the
tracee does something, yet what it traced still reaches the file at once,
and Ctrl-C still detaches it."""
import re
import signal
import subprocess
import sys
import time

import pytest

from conftest import start_attach, tracer_of, wait_for

READER = ("import sys\n"
          "print('ready', flush=True)\n"
          "for line in sys.stdin:\n"
          "    sys.stdout.write(line); sys.stdout.flush()\n")


def switches(pid):
    """Voluntary plus involuntary context switches of PID: each wake-up of
    a sleeping process counts one."""
    total = 0
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.split(":")[0] in ("voluntary_ctxt_switches",
                                      "nonvoluntary_ctxt_switches"):
                total += int(line.split()[-1])
    return total


def settles(pid, window=1.0, timeout=15.0):
    """Whether PID, within TIMEOUT, spends a whole WINDOW without being
    woken once. Returns the number of wake-ups of the last window seen."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        before = switches(pid)
        time.sleep(window)
        last = switches(pid) - before
        if last == 0:
            return 0
    return last


def start_reader(background):
    reader = background([sys.executable, "-c", READER], stdin=subprocess.PIPE,
                        stdout=subprocess.PIPE, text=True)
    assert reader.proc.stdout.readline() == "ready\n"
    return reader


@pytest.mark.parametrize("mode", [["--crash"], []], ids=["crash", "trace"])
def test_idle_ptrc_is_never_woken(tmp_path, background, mode):
    reader = start_reader(background)
    tracer, out = start_attach(background, tmp_path, reader.pid, *mode)
    woken = settles(tracer.pid)
    assert woken == 0, "an idle ptrc (%s) was woken %d times a second" % (
        mode or "trace", woken)
    # Activity, then idle again: the trace of it is in the file without
    # any later event pushing it out.
    reader.proc.stdin.write("hello idle\n")
    reader.proc.stdin.flush()
    assert reader.proc.stdout.readline() == "hello idle\n"
    if not mode:
        assert wait_for(lambda: re.search(r'^write\(1, "hello idle\\n", 11\) +'
                                          r'= 11$', out.read_text(), re.M)), \
            out.read_text()[-2000:]
    woken = settles(tracer.pid)
    assert woken == 0, "ptrc did not go back to sleep: %d wake-ups a second" % woken
    assert tracer.proc.poll() is None, tracer.proc.stderr.read()


def test_ctrl_c_detaches_an_idle_ptrc(tmp_path, background):
    reader = start_reader(background)
    tracer, _ = start_attach(background, tmp_path, reader.pid)
    assert settles(tracer.pid) == 0
    tracer.proc.send_signal(signal.SIGINT)
    assert tracer.proc.wait(timeout=10) == 0, tracer.proc.stderr.read()
    assert tracer_of(reader.pid) == 0
    reader.proc.stdin.write("after\n")
    reader.proc.stdin.flush()
    assert reader.proc.stdout.readline() == "after\n"

