"""-e signal=SET: names in any case, with or without SIG, real-time names,
numbers, all, none, "!" — accepted and refused as strace 6.1 does, and
the signal lines (--- SIG... ---, +++ killed by SIG... +++, which the set
filters too) it leaves. (The differential corpus has fx_fork !chld; a set
that hides "killed by" lines cannot go there: it attributes lines to
processes by them.)"""
import re
import shutil
import subprocess

import pytest

from conftest import PTRC, fixture, run_traced

PID = re.compile(r"^(?:\[pid\s+\d+\]|\d+) +")
NUMBERS = re.compile(r"\d+")


def signal_lines(path):
    out = []
    for line in path.read_text(errors="replace").splitlines():
        text = PID.sub("", line)
        if text.startswith(("---", "+++")):
            out.append(NUMBERS.sub("N", text))
    return out


@pytest.mark.skipif(shutil.which("strace") is None, reason="no strace")
@pytest.mark.parametrize("expr", ["usr1,10,rtmin,sigrt_3", "!term", "segv",
                                  "none", "!chld,segv"])
def test_signal_lines_like_strace(tmp_path, expr):
    argv = [fixture("fx_signal"), "all", str(tmp_path)]
    for tool, cmd in (("strace", [shutil.which("strace"), "-f"]),
                      ("ptrc", [PTRC, "run", "-f"])):
        done = subprocess.run(cmd + ["-e", "signal=" + expr, "-o",
                                     str(tmp_path / (tool + ".out")), "--"]
                              + argv, capture_output=True, timeout=60)
        assert done.returncode == 0, done.stderr
    assert signal_lines(tmp_path / "ptrc.out") == \
        signal_lines(tmp_path / "strace.out")

STRACE = shutil.which("strace")

ACCEPTED = ["all", "none", "!cont", "cont", "SIGCONT", "sigcont", "Cont",
            "9", "64", "1,2,3", "!!all", "rtmin", "SIGRT_1", "rt_32",
            "usr1", "0", "65", "255", "usr1,"]
REFUSED = ["256", "SIGNOPE", "nope", "SIG", "", ",", "-1", "cont,nope"]


@pytest.mark.parametrize("expr", ACCEPTED + REFUSED)
def test_accepts_what_strace_accepts(tmp_path, expr):
    done, _ = run_traced(tmp_path, ["/bin/true"], "-e", "signal=" + expr)
    if STRACE:
        theirs = subprocess.run([STRACE, "-o", "/dev/null", "-e",
                                 "signal=" + expr, "/bin/true"],
                                capture_output=True)
        assert (theirs.returncode == 0) == (done.returncode == 0), \
            (theirs.stderr, done.stderr)
    assert (done.returncode == 0) == (expr in ACCEPTED), done.stderr
