"""-P PATH: which calls ptrc shows, compared with strace 6.1's choice
(src/modes/trace_paths.c). The lines themselves are compared by the
differential test (fx_path_calls in tests/differential/corpus.txt); here
only which calls pass the filter, so that calls whose other arguments
ptrc does not decode as strace yet (fanotify_mark, fsconfig) still count."""
import os
import shutil
import subprocess

import pytest

from conftest import fixture, ptrc, read_lines, run_traced, syscalls

STRACE = shutil.which("strace")
needs_strace = pytest.mark.skipif(STRACE is None, reason="strace is not installed")


def shown(lines):
    """(name, first argument) of each complete call line."""
    return [(c["name"], c["args"].split(",")[0]) for c in syscalls(
        [l.split(" ", 1)[1] if l[:1].isdigit() else l for l in lines])]


def strace_shown(tmp_path, argv, *options):
    out = tmp_path / "strace.txt"
    subprocess.run([STRACE, "-o", str(out), *options, *argv], check=True,
                   capture_output=True, timeout=60, cwd=str(tmp_path))
    return shown(read_lines(out))


@needs_strace
@pytest.mark.parametrize("path", ["/dev/null", "/dev/./null"])
def test_calls_chosen_as_strace(tmp_path, path):
    argv = [fixture("fx_path_calls"), str(tmp_path), "late"]
    theirs = strace_shown(tmp_path, argv, "-P", path)
    done, lines = run_traced(tmp_path, argv, "-P", path)
    assert done.returncode == 0, done.stderr
    ours = shown(lines)
    names = [n for n, _ in ours]
    # descriptors past the first argument, paths past the first, arrays
    for name in ("sendfile", "splice", "tee", "copy_file_range", "mmap",
                 "epoll_ctl", "poll", "dup2", "dup3", "linkat", "renameat",
                 "symlinkat", "inotify_add_watch", "fanotify_mark"):
        assert name in names, (name, ours)
    # fsconfig: FSCONFIG_SET_PATH's path only, not a string value
    assert names.count("fsconfig") == 1, ours
    # symlink: the link's path, not the target
    assert [a for n, a in ours if n == "symlink"] == ['"%s/absent"' % tmp_path]
    # "/dev/./null" is looked for as given too
    assert (("access", '"/dev/./null"') in ours) == (path == "/dev/./null")
    assert ours == theirs


@needs_strace
def test_relative_path_and_deleted_file(tmp_path):
    """A relative -P path matches as given and as resolved; a descriptor
    of an unlinked file still matches its path."""
    script = ("import os\n"
              "fd = os.open('f.txt', os.O_WRONLY | os.O_CREAT, 0o600)\n"
              "os.write(fd, b'x')\n"
              "os.unlink(%r)\n"
              "os.write(fd, b'y')\n"
              "os.close(fd)\n" % str(tmp_path / "f.txt"))
    (tmp_path / "f.txt").write_text("")
    argv = ["python3", "-c", script]
    theirs = strace_shown(tmp_path, argv, "-P", "f.txt")
    (tmp_path / "f.txt").write_text("")  # strace's run unlinked it
    out = tmp_path / "trace.txt"
    done = ptrc("run", "-o", str(out), "-P", "f.txt", "--", *argv,
                cwd=str(tmp_path))
    assert done.returncode == 0, done.stderr
    ours = shown(read_lines(out))
    names = [n for n, _ in ours]
    assert names.count("write") == 2 and "unlink" in names, ours
    assert ours == theirs


def test_no_match_no_lines(tmp_path):
    done, lines = run_traced(tmp_path, ["true"], "-P", str(tmp_path / "none"))
    assert done.returncode == 0
    assert syscalls(lines) == []
    assert os.path.exists(tmp_path / "trace.txt")
