"""-l's "!PATTERN": what it matches is left out of what the other patterns
select, as ltrace's -e 'A+B-A' (ltrace 0.7.3, installed by
tools/install-deps, gives the same set of calls on lc_main; its argument
formats differ, so the names and their order are compared). A spec of
exclusions only selects nothing and is refused."""
import re
import shutil
import subprocess

import pytest

from conftest import PTRC, fixture, read_lines

LTRACE = shutil.which("ltrace")
USAGE = 64
STDIN = "go\nquit\n"


def ptrc_calls(tmp_path, spec):
    out = tmp_path / "trace.txt"
    done = subprocess.run([PTRC, "run", "-o", str(out), "-l", spec, "--",
                           fixture("lc_main"), "2"], input=STDIN,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "ptrc:" not in done.stderr, done.stderr  # no "matches nothing"
    return [m.group(1) for m in
            (re.match(r"^(\w+)@\S+\(", l) for l in read_lines(out)) if m]


def ltrace_calls(expression):
    done = subprocess.run([LTRACE, "-e", expression, fixture("lc_main"), "2"],
                          input=STDIN, capture_output=True, text=True,
                          timeout=60)
    return [m.group(1) for m in
            (re.match(r"^\S+->(\w+)\(", l) for l in done.stderr.splitlines()) if m]


@pytest.mark.parametrize("spec, expression, expected", [
    ("lcfix_add,lcfix_echo,!lcfix_add", "lcfix_add+lcfix_echo-lcfix_add",
     ["lcfix_echo"]),
    # (ltrace's "@LIB" names the caller's PLT, not the defining module)
    ("lcfix_echo,lcfix_fill,!liblcfix.so:lcfix_fill", None, ["lcfix_echo"]),
    ("lcfix_e*,lcfix_f*,!lcfix_e*", "lcfix_e*+lcfix_f*-lcfix_e*",
     ["lcfix_fill"]),
    ("!lcfix_add,lcfix_add,lcfix_echo", None, ["lcfix_echo"]),
    ("lcfix_echo,!libc.so.6:lcfix_echo", None, ["lcfix_echo"]),
], ids=["name", "module", "globs", "order", "other-module"])
def test_exclusion_like_ltrace(tmp_path, spec, expression, expected):
    ours = ptrc_calls(tmp_path, spec)
    assert ours == expected, ours
    if expression and LTRACE:
        assert ltrace_calls(expression) == ours


@pytest.mark.parametrize("spec", ["!lcfix_add", "!lcfix_add,!lcfix_echo", "!"])
def test_exclusions_alone_refused(spec):
    done = subprocess.run([PTRC, "run", "-l", spec, "--", "/bin/true"],
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == USAGE, done.stderr
    assert done.stderr.startswith("ptrc: ") and done.stderr.count("\n") == 1
    assert "-l" in done.stderr
