"""-c's table as strace 6.1 prints it: -S keys, -U columns, the widths,
the blank errors cell, exit_group not counted (it never returns), -C and
-w. The times differ between two runs: the test compares the header, the
rules, and each row's name, calls and errors, in order (ties under -S
calls/errors/name are broken by syscall number, as strace's stable sort)."""
import re
import shutil
import subprocess

import pytest

from conftest import PTRC, fixture

STRACE = shutil.which("strace")
COMMAND = ["/bin/sh", "-c", "ls / >/dev/null; cat /nonexistent 2>/dev/null; true"]

FORMS = [["-S", "calls"], ["-S", "name"], ["-S", "nothing"], ["-S", "errors"],
         ["-S", "count"], ["-S", "syscall"],
         ["-U", "name,calls,errors", "-S", "calls"],
         ["-U", "errors,calls", "-S", "errors"],
         ["-U", "calls,min-time,max-time,avg-time,time,total-time", "-S", "name"],
         ["-U", "shortest,longest,syscall,count", "-S", "name"],
         ["-w", "-S", "calls"], ["-S", "calls", "-U", "calls"]]


def deterministic_cells(path):
    """The header, the rule, and per row its calls, errors and syscall
    cells, cut at the rule's column spans (times differ between runs)."""
    lines = path.read_text().splitlines()
    header, rule = lines[0], lines[1]
    spans = [m.span() for m in re.finditer(r"-+", rule)]
    spans[-1] = (spans[-1][0], None)
    names = [header[a:b].strip() if b else header[a:].strip() for a, b in spans]
    keep = [i for i, n in enumerate(names) if n in ("calls", "errors", "syscall")]
    rows = []
    for line in lines[2:]:
        if line.startswith("-"):
            break
        rows.append([line[spans[i][0]:spans[i][1]] if spans[i][1] else
                     line[spans[i][0]:] for i in keep])
    return header, rule, rows


@pytest.mark.skipif(STRACE is None, reason="strace is not installed")
@pytest.mark.parametrize("form", FORMS, ids=lambda f: " ".join(f))
def test_table_like_strace(tmp_path, form):
    for tool, cmd in (("strace", [STRACE, "-f", "-c"]),
                      ("ptrc", [PTRC, "run", "-f", "-c"])):
        done = subprocess.run(cmd + form + ["-o", str(tmp_path / tool), "--"]
                              + COMMAND, capture_output=True, timeout=60)
        assert done.returncode == 0, done.stderr
    theirs = deterministic_cells(tmp_path / "strace")
    ours = deterministic_cells(tmp_path / "ptrc")
    assert ours[:2] == theirs[:2]  # header and rule: names and widths
    if "-S" in form and form[form.index("-S") + 1] not in ("time",):
        assert ours[2] == theirs[2]
    else:
        assert sorted(ours[2]) == sorted(theirs[2])


def test_exit_group_is_not_counted(tmp_path):
    done = subprocess.run([PTRC, "run", "-c", "-o", str(tmp_path / "p"), "--",
                           "/bin/true"], capture_output=True, timeout=60)
    assert done.returncode == 0
    assert "exit_group" not in (tmp_path / "p").read_text()


def test_summary_too_after_the_trace(tmp_path):
    done = subprocess.run([PTRC, "run", "-C", "-o", str(tmp_path / "p"), "--",
                           "/bin/true"], capture_output=True, timeout=60)
    assert done.returncode == 0
    lines = (tmp_path / "p").read_text().splitlines()
    assert lines[0].startswith("execve(")
    header = lines.index("% time     seconds  usecs/call     calls    errors syscall")
    assert lines[header - 1] == "+++ exited with 0 +++"


@pytest.mark.parametrize("options", [["-c", "-S", "bogus"],
                                     ["-c", "-U", "calls,bogus"],
                                     ["-c", "-U", "calls,calls"],
                                     ["-c", "-U", "none"], ["-c", "-C"],
                                     ["-C", "-c"], ["-w"]])
def test_refused(options):
    done = subprocess.run([PTRC, "run"] + options + ["--", "/bin/true"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 64
    if STRACE:
        theirs = subprocess.run([STRACE, "-o", "/dev/null"] + options
                                + ["/bin/true"], capture_output=True)
        assert theirs.returncode != 0
