"""ptrc run on fx_basic: names, strings, return values, errno names, exit
lines and ptrc's own exit status, for the native and the i386 build."""
import re

import pytest

from conftest import M32, fixture, ptrc, run_traced, syscalls

ENOENT = "-1 ENOENT (No such file or directory)"


def one(lines, name, args_start):
    found = [c for c in syscalls(lines, name) if c["args"].startswith(args_start)]
    assert len(found) == 1, "%s(%s...) in:\n%s" % (name, args_start, "\n".join(lines))
    return found[0]


@M32
def test_basic_calls(tmp_path, m32):
    prog = fixture("fx_basic", m32)
    done, lines = run_traced(tmp_path, [prog, "3", str(tmp_path)])
    assert done.returncode == 3, done.stderr
    assert done.stdout == "hello from fx_basic\n"
    assert done.stderr == ""

    first = syscalls(lines)[0]
    assert first["name"] == "execve"
    assert first["args"].startswith('"%s", ' % prog)
    assert first["ret"] == "0"

    assert one(lines, "openat", 'AT_FDCWD, "/nonexistent/ptrc-fixture", ')["ret"] == ENOENT
    assert one(lines, "write", '1, "hello from fx_basic\\n", 20')["ret"] == "20"
    path = "%s/ptrc-fx-basic.txt" % tmp_path
    fd = one(lines, "openat", 'AT_FDCWD, "%s", ' % path)["ret"]
    assert fd == "3"   # the lowest free descriptor
    assert one(lines, "write", '%s, "file contents\\n", 14' % fd)["ret"] == "14"
    # read's buffer is shown at exit, cut to the bytes actually read.
    assert one(lines, "read", '%s, "file contents\\n", 64' % fd)["ret"] == "14"
    assert one(lines, "unlink", '"%s"' % path)["ret"] == "0"

    assert lines[-2] == "exit_group(3)                           = ?"
    assert lines[-1] == "+++ exited with 3 +++"
    # One task all along: no [pid N] prefixes.
    assert not [l for l in lines if l.startswith("[pid")]


@pytest.mark.parametrize("code", [0, 1, 42, 255])
def test_exit_status_is_the_commands(tmp_path, code):
    done, lines = run_traced(tmp_path, [fixture("fx_basic"), str(code), str(tmp_path)])
    assert done.returncode == code
    assert lines[-1] == "+++ exited with %d +++" % code


def test_trace_goes_to_stderr_without_o(tmp_path):
    done = ptrc("run", "--", fixture("fx_basic"), "0", str(tmp_path))
    assert done.returncode == 0
    assert done.stdout == "hello from fx_basic\n"
    err = done.stderr.splitlines()
    assert 'write(1, "hello from fx_basic\\n", 20)   = 20' in err
    assert err[-1] == "+++ exited with 0 +++"


def test_return_column_alignment(tmp_path):
    """strace pads short calls so that " = " starts at column 40."""
    done, lines = run_traced(tmp_path, [fixture("fx_basic"), "0", str(tmp_path)])
    short = [l for l in lines if l.startswith("write(1, ")]
    assert short == ['write(1, "hello from fx_basic\\n", 20)   = 20']
    assert short[0].index(" = ") == 39


@M32
def test_arch_names(tmp_path, m32):
    """The i386 build shows i386 names (mmap2, _llseek, set_thread_area)
    and one note that the process runs in 32-bit mode; the native build
    neither. (The note is left out by default with -o, as strace's: -e
    quiet=none asks for it.)"""
    prog = fixture("fx_basic", m32)
    done, lines = run_traced(tmp_path, [prog, "0", str(tmp_path)],
                             "-e", "quiet=none")
    assert done.returncode == 0
    names = {c["name"] for c in syscalls(lines)}
    notes = [l for l in lines if re.match(r"^\[ .* \]$", l)]
    if m32:
        assert {"mmap2", "_llseek", "set_thread_area"} <= names, names
        assert "lseek" not in names and "mmap" not in names
        assert len(notes) == 1, notes
        assert re.search(r"32.bit|i386", notes[0]), notes
        pid = int(re.search(r"= (\d+)$", [l for l in lines if l.startswith("set_tid_address(")][0]).group(1))
        assert str(pid) in notes[0]
        # The note comes once the process runs 32-bit code: after execve.
        assert lines.index(notes[0]) > 0
        assert lines[0].startswith("execve(")
        assert one(lines, "_llseek", "3, 0, ")["ret"] == "0"
    else:
        assert "lseek" in names and "mmap2" not in names and "_llseek" not in names
        assert notes == []
