"""ptrc run passes SIGTERM and SIGHUP (and SIGINT when not on a terminal)
on to the command and keeps tracing until it ends."""
import re
import signal
import subprocess

import pytest

from conftest import PTRC, fixture, read_lines, tracer_of, wait_for


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT],
                         ids=["SIGTERM", "SIGHUP", "SIGINT"])
def test_run_forwards_signals(tmp_path, background, sig):
    out = tmp_path / "t.txt"
    tracer = background([PTRC, "run", "-o", str(out), "--", fixture("fx_wait_go")],
                        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                        stderr=subprocess.PIPE, text=True)
    line = tracer.proc.stdout.readline()
    pid = int(re.fullmatch(r"(\d+) ready\n", line).group(1))
    assert tracer_of(pid) == tracer.pid
    assert wait_for(lambda: re.search(r"^read\(0, ", out.read_text(), re.M))
    tracer.proc.send_signal(sig)
    assert tracer.proc.wait(timeout=10) == 128 + sig
    assert tracer.proc.stderr.read() == ""
    lines = read_lines(out)
    name = signal.Signals(sig).name
    assert re.fullmatch(r"--- %s \{si_signo=%s, si_code=SI_USER, si_pid=%d, si_uid=0\} ---"
                        % (name, name, tracer.pid), lines[-2]), lines[-3:]
    assert lines[-1] == "+++ killed by %s +++" % name
