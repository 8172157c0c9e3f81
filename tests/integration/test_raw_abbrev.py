"""-e raw=SET, -e abbrev=SET (and -v between them), -e verbose=: the
same command's trace under strace 6.1 and ptrc, addresses and pids left
out. The command's files do not change between the runs (stat of /, /etc),
so the structures print alike."""
import re
import shutil
import subprocess

import pytest

from conftest import PTRC

STRACE = shutil.which("strace")
ADDR = re.compile(r"0x[0-9a-f]{8,}")
RANDOM = re.compile(r"^(getrandom|set_tid_address|getpid|getppid|execve)\(.*$")

COMMAND = ["/bin/sh", "-c", "stat / /etc >/dev/null; cat /etc/hostname >/dev/null"]

FORMS = [
    ["-e", "raw=openat,read,close,/^exit", "-e",
     "trace=openat,read,close,/^exit,newfstatat,mmap"],
    ["-e", "raw=%%stat", "-e", "trace=%%stat,openat"],
    ["-e", "abbrev=none", "-e", "trace=%%stat,getdents64"],
    ["-e", "abbrev=statx", "-e", "trace=%%stat"],
    ["-v", "-e", "abbrev=statx", "-e", "trace=%%stat"],
    ["-e", "abbrev=statx", "-v", "-e", "trace=%%stat"],
    ["-e", "x=fstat", "-e", "a=newfstatat", "-e", "trace=%%stat"],
    ["-e", "verbose=all", "-e", "trace=%%stat"],
    ["-e", "verbose=none", "-e", "trace=%%stat,rt_sigaction,rt_sigprocmask"],
    ["-e", "verbose=!newfstatat", "-v", "-e", "trace=%%stat,rt_sigaction"],
]


def normal(path):
    out = []
    for line in path.read_text(errors="replace").splitlines():
        line = re.sub(r"^(?:\[pid\s+\d+\] |\d+ +)", "", line)
        if RANDOM.match(line) or line.startswith(("---", "+++")):
            continue  # pids, times, and the exits -f -o attributes lines by
        line = re.sub(r"\)\s+= ", ") = ", line)  # -f's prefix moves the column
        out.append(ADDR.sub("ADDR", line))
    return out


@pytest.mark.skipif(STRACE is None, reason="strace is not installed")
@pytest.mark.parametrize("form", FORMS, ids=lambda f: " ".join(f))
def test_like_strace(tmp_path, form):
    for tool, cmd in (("strace", [STRACE, "-f"]), ("ptrc", [PTRC, "run", "-f"])):
        done = subprocess.run(cmd + form + ["-o", str(tmp_path / tool), "--"]
                              + COMMAND, capture_output=True, text=True,
                              timeout=60)
        assert done.returncode == 0, done.stderr
    theirs = normal(tmp_path / "strace")
    ours = normal(tmp_path / "ptrc")
    assert ours == theirs
    assert len(theirs) > 3
