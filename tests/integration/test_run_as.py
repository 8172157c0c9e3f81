"""-u USER, -E VAR=VAL / -E VAR, -b execve: what the command sees and what
is traced, against strace 6.1 where it is installed."""
import os
import re
import shutil
import subprocess
import tempfile

import pytest

from conftest import PTRC, fixture, run_traced, split_pid, syscalls

STRACE = shutil.which("strace")
ID = shutil.which("id")


def both(tmp_path, options, command):
    """stdout of the command under ptrc and (when installed) strace."""
    ours = subprocess.run([PTRC, "run", "-o", str(tmp_path / "p")] + options
                          + ["--"] + command, capture_output=True, text=True,
                          timeout=60)
    assert ours.returncode == 0, ours.stderr
    theirs = None
    if STRACE:
        theirs = subprocess.run([STRACE, "-o", str(tmp_path / "s")] + options
                                + ["--"] + command, capture_output=True,
                                text=True, timeout=60)
        assert theirs.returncode == 0, theirs.stderr
        theirs = theirs.stdout
    return ours.stdout, theirs


def test_environment_changes(tmp_path):
    os.environ["PTRC_TEST_GONE"] = "x"
    try:
        ours, theirs = both(tmp_path, ["-E", "FOO=bar", "-E", "PTRC_TEST_GONE",
                                       "-E", "EMPTY=", "-E", "FOO=baz=1"],
                            ["/bin/sh", "-c",
                             'echo "$FOO|${PTRC_TEST_GONE-unset}|${EMPTY-unset}"'])
    finally:
        del os.environ["PTRC_TEST_GONE"]
    assert ours == "baz=1|unset|\n"
    assert theirs in (None, ours)


@pytest.mark.skipif(os.geteuid() != 0, reason="-u needs root")
def test_user_ids_and_groups(tmp_path):
    ours, theirs = both(tmp_path, ["-u", "nobody"],
                        ["/bin/sh", "-c", "id -u; id -ru; id -g; id -rg; id -G"])
    nobody = subprocess.run([ID, "nobody"], capture_output=True, text=True).stdout
    uid = re.search(r"uid=(\d+)", nobody).group(1)
    assert ours.splitlines()[:2] == [uid, uid]
    assert theirs in (None, ours)


@pytest.mark.skipif(os.geteuid() != 0, reason="-u needs root")
def test_setgid_program_gets_its_group(tmp_path):
    """postdrop's case: a setgid program run with -u keeps its group as
    effective gid, the user's as real gid (as it would untraced)."""
    # nobody must reach the program: not under pytest's 0700 directories
    where = tempfile.mkdtemp(prefix="ptrc-sgid-", dir="/tmp")
    try:
        os.chmod(where, 0o755)
        prog = os.path.join(where, "id-sgid")
        shutil.copy(ID, prog)
        os.chown(prog, 0, 12345)
        os.chmod(prog, 0o2755)
        run_setgid(tmp_path, prog)
    finally:
        shutil.rmtree(where)


def run_setgid(tmp_path, prog):
    ours, theirs = both(tmp_path, ["-u", "nobody"], [str(prog), "-g"])
    assert ours.strip() == "12345"
    assert theirs in (None, ours)
    ours, theirs = both(tmp_path, ["-u", "nobody"], [str(prog), "-rg"])
    nogroup = subprocess.run([ID, "-g", "nobody"], capture_output=True,
                             text=True).stdout
    assert ours == nogroup
    assert theirs in (None, ours)


def test_detach_on_execve(tmp_path):
    """The command's own execve is traced; a child's execve is where ptrc
    lets the child go: nothing of /bin/true is traced."""
    done, lines = run_traced(tmp_path, ["/bin/sh", "-c", "/bin/true; echo hi"],
                             "-f", "-b", "execve")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "hi\n"
    execs = [l for l in lines if "execve(" in l]
    assert len(execs) == 2
    # -f -o: every line has its pid ("%-5d "), as strace's
    shell, text = split_pid(execs[0])
    assert text.startswith('execve("/') and text.endswith("= 0")
    child = split_pid(execs[1])[0]
    assert child not in (None, shell)
    after = lines[lines.index(execs[1]) + 1:]
    assert not [l for l in after if split_pid(l)[0] == child]
    assert lines[-1] == "%-5d +++ exited with 0 +++" % shell
    if STRACE:
        subprocess.run([STRACE, "-f", "-b", "execve", "-o", str(tmp_path / "s"),
                        "/bin/sh", "-c", "/bin/true; echo hi"],
                       capture_output=True, check=True, timeout=60)
        theirs = (tmp_path / "s").read_text().splitlines()
        assert len([l for l in theirs if "execve(" in l]) == 2


def test_detach_on_execve_with_trace_set_keeps_seccomp_out(tmp_path):
    # With seccomp the detached /bin/true would get ENOSYS from traced
    # calls: its exit status tells.
    done, lines = run_traced(tmp_path, ["/bin/sh", "-c", "/bin/cat /dev/null && echo ok"],
                             "-f", "-b", "execve", "-e", "trace=openat,execve")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "ok\n"


@pytest.mark.parametrize("options", [["-b", "exit"], ["-u", "no-such-user-ptrc"],
                                     ["-E", ""], ["-E", "=x"]])
def test_refused(options):
    done = subprocess.run([PTRC, "run"] + options + ["--", "/bin/true"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 64
    assert done.stderr.startswith("ptrc: ") and done.stderr.count("\n") == 1


@pytest.mark.parametrize("options", [["-u", "nobody"], ["-E", "A=b"]])
def test_run_only(options):
    done = subprocess.run([PTRC, "attach"] + options + ["1"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 64
    assert "for run" in done.stderr
