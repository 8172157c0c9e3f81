"""The load scenario (tests/load/run.py) at a small size: a private Postfix
whose every smtpd runs ptrc through debugger_command, under parallel
smtp-source sessions, in its six runs (baseline, crash and trace recipes,
smtpd killed by SIGSEGV, tracers killed by SIGKILL, trace output to a
filesystem that fills up). Each run fails on a lost message, a process
left stopped, traced or running after `postfix stop`, or a maillog warning
the baseline does not have. The on-demand size (2,000 messages a run) is
README's table."""
import os
import subprocess
import sys

import pytest

from conftest import PTRC

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "load"))
import scenario  # noqa: E402

REASON = scenario.available()
if REASON and os.environ.get("CI"):
    pytest.fail("the load scenario cannot run: " + REASON, pytrace=False)
pytestmark = pytest.mark.skipif(REASON is not None, reason=REASON or "")


def test_small_load_loses_nothing(tmp_path):
    report = tmp_path / "load.json"
    done = subprocess.run(
        [sys.executable, os.path.join(HERE, "..", "load", "run.py"),
         "--messages", "120", "--sessions", "6", "--procs", "6",
         "--max-use", "10", "--ptrc", PTRC, "--json", str(report)],
        capture_output=True, text=True, timeout=900)
    print(done.stdout)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.rstrip().splitlines()[-1] == "6 passed, 0 failed"
