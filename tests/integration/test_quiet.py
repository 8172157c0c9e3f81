"""-q, -qq, -qqq, -e quiet=, --quiet: which +++ lines are left out, as
strace 6.1 leaves them out. (The differential corpus covers the forms that
keep the exit lines it attributes lines to processes by.)"""
import re
import shutil
import subprocess

import pytest

from conftest import PTRC, fixture

STRACE = shutil.which("strace")
PID = re.compile(r"^(?:\[pid\s+\d+\]|\d+) +")
NUMBER = re.compile(r"\d+")

FORMS = [["-q"], ["-qq"], ["-qqq"], ["--quiet"], ["--quiet=exit"],
         ["-e", "quiet=thread-execve"], ["-e", "quiet=all"],
         ["-e", "quiet=none"], ["-e", "quiet=!attach"], ["--silent=exits"],
         ["-e", "q=superseded,exit"], []]


def marks(path):
    """The +++ and [ ] lines, without pids or numbers."""
    out = []
    for line in path.read_text().splitlines():
        text = PID.sub("", line)
        if text.startswith(("+++", "[ ")):
            out.append(NUMBER.sub("N", text))
    return out


@pytest.mark.skipif(STRACE is None, reason="strace is not installed")
@pytest.mark.parametrize("form", FORMS, ids=lambda f: " ".join(f) or "default")
def test_quiet_like_strace(tmp_path, form):
    argv = [fixture("fx_exec"), "thread", "/bin/true"]
    for tool, cmd in (("strace", [STRACE, "-f"]), ("ptrc", [PTRC, "run", "-f"])):
        done = subprocess.run(cmd + form + ["-o", str(tmp_path / tool), "--"] + argv,
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
    assert marks(tmp_path / "ptrc") == marks(tmp_path / "strace")


@pytest.mark.parametrize("form", [["-q", "-e", "quiet=exit"],
                                  ["--quiet", "-qq"], ["-e", "quiet=bogus"],
                                  ["--quiet=exit,nope"]])
def test_refused_like_strace(tmp_path, form):
    done = subprocess.run([PTRC, "run"] + form + ["--", "/bin/true"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 64
    assert done.stderr.startswith("ptrc: ") and done.stderr.count("\n") == 1
    if STRACE:
        theirs = subprocess.run([STRACE, "-o", "/dev/null"] + form + ["/bin/true"],
                                capture_output=True)
        assert theirs.returncode != 0
