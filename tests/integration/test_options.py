"""-tt, -T, -e trace=, -o, -X, --help, --version."""
import datetime
import os
import re
import shutil
import subprocess

import pytest

from conftest import M32, attribute, calls, fixture, ptrc, run_traced, syscalls

TT = re.compile(r"^(?:\[pid\s+\d+\] |\d+ +)?(\d\d):(\d\d):(\d\d)\.(\d{6}) \S")


def test_wall_clock_timestamps(tmp_path):
    before = datetime.datetime.now()
    done, lines = run_traced(tmp_path, [fixture("fx_threads"), "2", "2"], "-tt")
    after = datetime.datetime.now()
    assert done.returncode == 0
    stamps = []
    for line in lines:
        m = TT.match(line)
        assert m, "no -tt time: %r" % line
        h, mi, s, us = (int(x) for x in m.groups())
        stamps.append(((h * 60 + mi) * 60 + s) * 1000000 + us)
    assert stamps == sorted(stamps) or before.date() != after.date()
    day_us = lambda t: ((t.hour * 60 + t.minute) * 60 + t.second) * 1000000 + t.microsecond
    if before.date() == after.date():
        assert day_us(before) - 1000000 <= stamps[0] and stamps[-1] <= day_us(after) + 1000000
    # The prefix comes first, then the time, as strace prints them (-o
    # without -f: the pid column from the second thread on).
    assert any(re.match(r"^\d+ +\d\d:\d\d:\d\d\.\d{6} write\(3, \"thread-", l)
               for l in lines)
    assert lines[-1].endswith(" +++ exited with 0 +++")


def test_syscall_times(tmp_path):
    done, lines = run_traced(tmp_path, ["/bin/sleep", "0.05"], "-T")
    assert done.returncode == 0
    sleeps = [c for c in syscalls(lines) if c["name"] in ("clock_nanosleep", "nanosleep")]
    assert len(sleeps) == 1
    m = re.fullmatch(r"0 <(\d+)\.(\d{6})>", sleeps[0]["ret"])
    assert m, sleeps[0]
    took = int(m.group(1)) + int(m.group(2)) / 1e6
    assert 0.05 <= took < 5
    for c in syscalls(lines):
        if c["ret"] != "?":
            assert re.search(r" <\d+\.\d{6}>$", c["ret"]), c
    # Calls that never return have no time.
    assert lines[-2].endswith("= ?")


def test_syscall_times_on_resumed_lines(tmp_path):
    done, lines = run_traced(tmp_path, [fixture("fx_busy"), "0.3"], "-T",
                             "-e", "trace=nanosleep,clock_nanosleep")
    assert done.returncode == 0, done.stderr
    found = calls(attribute(lines, strict=False))
    assert len(found) >= 8
    for c in found:
        assert c["name"] in ("nanosleep", "clock_nanosleep")
        m = re.fullmatch(r"0 <(\d+)\.(\d{6})>", c["ret"])
        assert m, c
        assert int(m.group(1)) + int(m.group(2)) / 1e6 >= 0.001


@M32
def test_trace_filter(tmp_path, m32):
    # quiet=none: with -o, personality notes are quiet by default (strace)
    done, lines = run_traced(tmp_path, [fixture("fx_basic", m32), "0", str(tmp_path)],
                             "-e", "trace=write,openat", "-e", "quiet=none")
    assert done.returncode == 0
    names = [c["name"] for c in syscalls(lines)]
    assert set(names) == {"write", "openat"}
    assert 'write(1, "hello from fx_basic\\n", 20)   = 20' in lines
    assert [c["ret"] for c in syscalls(lines, "openat")
            if "/nonexistent/ptrc-fixture" in c["args"]] == \
        ["-1 ENOENT (No such file or directory)"]
    # Lines that are not syscalls stay.
    assert lines[-1] == "+++ exited with 0 +++"
    assert len([l for l in lines if re.match(r"^\[ .* \]$", l)]) == (1 if m32 else 0)


@M32
def test_trace_filter_plain_names_and_arch_names(tmp_path, m32):
    name = "_llseek" if m32 else "lseek"
    done, lines = run_traced(tmp_path, [fixture("fx_basic", m32), "0", str(tmp_path)],
                             "-e", name)
    assert done.returncode == 0
    assert [c["name"] for c in syscalls(lines)] == [name]


def test_trace_filter_keeps_signals(tmp_path):
    done, lines = run_traced(tmp_path, [fixture("fx_signal")], "-e", "trace=write")
    assert {c["name"] for c in syscalls(lines)} == {"write"}
    assert any(l.startswith("--- SIGUSR1 {") for l in lines)


def test_output_file_is_created_private(tmp_path):
    out = tmp_path / "new.txt"
    done = ptrc("run", "-o", str(out), "--", "/bin/true")
    assert done.returncode == 0
    assert oct(os.stat(out).st_mode & 0o777) == oct(0o600)
    assert out.read_text().endswith("+++ exited with 0 +++\n")


def test_output_file_replaces_old_content(tmp_path):
    out = tmp_path / "trace.txt"
    out.write_text("old content\n" * 1000)
    done = ptrc("run", "-o", str(out), "--", fixture("fx_basic"), "0", str(tmp_path))
    assert done.returncode == 0
    assert done.stderr == ""
    text = out.read_text()
    assert "old content" not in text
    assert text.endswith("+++ exited with 0 +++\n")


def test_help_and_version():
    done = ptrc("--help")
    assert done.returncode == 0
    assert "ptrc run" in done.stdout and "ptrc attach" in done.stdout
    for opt in ("-o FILE", "-f", "-s N", "-tt", "-T", "-e trace="):
        assert opt in done.stdout, opt
    done = ptrc("--version")
    assert done.returncode == 0
    assert re.fullmatch(r"ptrc \d+\.\d+\.\d+\n", done.stdout)


def test_run_passes_arguments_untouched(tmp_path):
    """Options after the command belong to the command."""
    done, lines = run_traced(tmp_path, ["/bin/echo", "-s", "5", "-o", "x"])
    assert done.returncode == 0
    assert done.stdout == "-s 5 -o x\n"
    assert [(c["args"], c["ret"]) for c in syscalls(lines, "write")] == \
        [('1, "-s 5 -o x\\n", 10', "10")]


STX_MASK = re.compile(r"\{stx_mask=(0x[0-9a-f]+)[ ,]")


def statx_args(tmp_path, style):
    """The arguments of `stat /`'s statx call traced with -X STYLE."""
    done, lines = run_traced(tmp_path, [shutil.which("stat"), "/"],
                             "-e", "trace=statx", "-X", style)
    assert done.returncode == 0, done.stderr
    found = syscalls(lines, "statx")
    if not found:
        pytest.skip("stat does not call statx here")
    return found[0]["args"]


def test_xlat_style_reaches_structure_fields(tmp_path):
    """-X raw and -X verbose reach the flag fields of a structure the kernel
    fills, as strace 6.1 prints them: "stx_mask=0x1fff" and
    "stx_mask=0x1fff / * STATX_ALL|STATX_MNT_ID * /"."""
    raw = statx_args(tmp_path, "raw")
    m = STX_MASK.search(raw)
    assert m, raw
    assert re.search(r", stx_attributes=(0|0x[0-9a-f]+), ", raw), raw
    assert "STATX_" not in raw, raw
    verbose = statx_args(tmp_path, "verbose")
    assert re.search(r"\{stx_mask=0x[0-9a-f]+ /\* STATX_\w+(\|STATX_\w+)* \*/, ",
                     verbose), verbose
    abbrev = statx_args(tmp_path, "abbrev")
    assert re.search(r"\{stx_mask=STATX_\w+", abbrev), abbrev
    strace = shutil.which("strace")
    if strace:
        done = subprocess.run([strace, "-X", "raw", "-e", "trace=statx",
                               shutil.which("stat"), "/"],
                              capture_output=True, text=True, timeout=60)
        theirs = STX_MASK.search(done.stderr)
        assert theirs and theirs.group(1) == m.group(1), done.stderr
