"""The persistent debug-file cache (src/stack/debug_cache.c): a separate
debug file with compressed sections is inflated once into
$PTRC_DEBUG_CACHE under its build-id and read from there afterwards. A
cache never changes a result: the same frames and lines with and without
it, a rebuilt program at the same path (a new build-id) is never served
the old entry, and an entry another user could have written is ignored.

The program is built here: two versions with different function names
and lines, each with its debug info split off into a compressed .debug
file beside it (.gnu_debuglink)."""
import fcntl
import os
import shutil
import subprocess

import pytest

from conftest import PTRC, wait_for
from test_debuginfo import build_id, run_crash

SOURCE = """#include <stdio.h>
%s
__attribute__((noinline)) void %s(volatile int *p)
{
	*p = 1;
}

int main(void)
{
	%s(0);
	return 0;
}
"""
# (function, extra blank lines before it): the line of the store moves
VERSIONS = {"a": ("alpha_function", 0), "b": ("beta_function", 5)}

pytestmark = pytest.mark.skipif(
    not (shutil.which("gcc") and shutil.which("objcopy") and shutil.which("strace")),
    reason="needs gcc, objcopy and strace")


def build(directory, version):
    """prog and prog.debug (compressed) in DIRECTORY, as VERSION; returns
    (path, build-id, the line of the faulting store)."""
    function, pad = VERSIONS[version]
    src = os.path.join(directory, "prog_%s.c" % version)
    with open(src, "w") as f:
        f.write(SOURCE % ("\n" * pad, function, function))
    prog = os.path.join(directory, "prog")
    debug = prog + ".debug"
    for path in (prog, debug):
        if os.path.exists(path):
            os.unlink(path)
    subprocess.run(["gcc", "-g", "-O0", "-Wl,--build-id", "-o", prog, src], check=True)
    subprocess.run(["objcopy", "--only-keep-debug", "--compress-debug-sections=zlib",
                    prog, debug], check=True)
    subprocess.run(["objcopy", "--strip-debug", "--add-gnu-debuglink=" + debug, prog],
                   cwd=directory, check=True)
    sections = subprocess.run(["readelf", "-SW", debug], capture_output=True,
                              text=True, check=True).stdout
    assert any(".debug_info" in l and " C " in l for l in sections.splitlines()), sections
    store_line = 5 + pad  # "*p = 1;"
    return prog, build_id(prog), store_line


def own_frame(report, function):
    thread = [t for t in report["threads"] if t.get("crashed")][0]
    frames = [f for f in thread["frames"] if f["function"] == function]
    assert frames, thread["frames"]
    return frames[0]["function"], os.path.basename(frames[0]["file"] or ""), \
        frames[0]["line"]


def crash(tmp_path, prog, cache):
    """The JSON crash report of PROG with the cache at CACHE."""
    return run_crash(tmp_path, [prog], env={"PTRC_DEBUG_CACHE": cache})[1]


def opened_by_ptrc(tmp_path, prog, cache):
    """The files ptrc itself opens while reporting PROG's crash (strace
    follows ptrc only, not -f: ptrc traces the program)."""
    log = tmp_path / "openat.log"
    out = tmp_path / "report.txt"
    subprocess.run(["strace", "-e", "trace=openat", "-o", str(log), "--",
                    PTRC,
                    "run", "--crash", "-o", str(out), "--", prog],
                   env=dict(os.environ, PTRC_DEBUG_CACHE=cache), cwd=tmp_path,
                   capture_output=True, timeout=60)
    return log.read_text()


def entry(cache, bid, suffix="debug"):
    return os.path.join(cache, "%s.%s" % (bid, suffix))


def fill(tmp_path, prog, bid, cache):
    """One crash report with an empty cache, and its entry written."""
    report = crash(tmp_path, prog, cache)
    assert wait_for(lambda: os.path.exists(entry(cache, bid)), timeout=30), \
        os.listdir(cache) if os.path.isdir(cache) else "no cache directory"
    return report


def test_cache_gives_the_same_report(tmp_path):
    prog, bid, line = build(str(tmp_path), "a")
    cache = str(tmp_path / "cache")
    without = crash(tmp_path, prog, "off")
    assert own_frame(without, "alpha_function") == ("alpha_function", "prog_a.c", line)
    first = fill(tmp_path, prog, bid, cache)
    with open(entry(cache, bid, "name")) as f:
        assert f.read() == prog + ".debug"
    cached = crash(tmp_path, prog, cache)
    for report in (first, cached):
        assert own_frame(report, "alpha_function") == own_frame(without, "alpha_function")
        assert own_frame(report, "main") == own_frame(without, "main")
    # the modules list names the debug file the entry was made from
    def module(report):
        [m] = [m for m in report["modules"] if m["path"] == prog]
        return m["build_id"], m["debug_file"]
    assert module(cached) == module(without) == (bid, prog + ".debug")
    # and the entry, not the compressed file, was read
    opened = opened_by_ptrc(tmp_path, prog, cache)
    assert entry(cache, bid) in opened
    assert '"%s.debug"' % prog not in opened
    # the entry has no compressed section left
    sections = subprocess.run(["readelf", "-SW", entry(cache, bid)], capture_output=True,
                              text=True, check=True).stdout
    assert ".debug_info" in sections
    assert not any(".debug_" in l and " C " in l for l in sections.splitlines())


def test_rebuilt_program_at_the_same_path_is_not_served_the_old_entry(tmp_path):
    prog, bid_a, line_a = build(str(tmp_path), "a")
    cache = str(tmp_path / "cache")
    fill(tmp_path, prog, bid_a, cache)
    prog, bid_b, line_b = build(str(tmp_path), "b")
    assert bid_a != bid_b and line_a != line_b
    report = crash(tmp_path, prog, cache)
    assert own_frame(report, "beta_function") == ("beta_function", "prog_b.c", line_b)
    # even an entry planted under the new build-id's name with the old
    # contents is refused: its own build-id note is checked
    shutil.copy(entry(cache, bid_a), entry(cache, bid_b))
    os.chmod(entry(cache, bid_b), 0o600)
    report = crash(tmp_path, prog, cache)
    assert own_frame(report, "beta_function") == ("beta_function", "prog_b.c", line_b)


@pytest.mark.skipif(os.geteuid() != 0, reason="chown to another user needs root")
def test_entry_of_another_user_is_ignored(tmp_path):
    prog, bid, line = build(str(tmp_path), "a")
    cache = str(tmp_path / "cache")
    fill(tmp_path, prog, bid, cache)
    assert '"%s.debug"' % prog not in opened_by_ptrc(tmp_path, prog, cache)
    for suffix in ("debug", "name"):
        os.chown(entry(cache, bid, suffix), 65534, 65534)
    # ignored: the program's own debug file is read, the result the same
    assert '"%s.debug"' % prog in opened_by_ptrc(tmp_path, prog, cache)
    report = crash(tmp_path, prog, cache)
    assert own_frame(report, "alpha_function") == ("alpha_function", "prog_a.c", line)
    # an entry of ours in a directory others can write: ignored too
    for suffix in ("debug", "name"):
        os.chown(entry(cache, bid, suffix), 0, 0)
    os.chmod(cache, 0o777)
    assert '"%s.debug"' % prog in opened_by_ptrc(tmp_path, prog, cache)


def test_cache_is_bounded(tmp_path):
    prog, bid, line = build(str(tmp_path), "a")
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    old = cache / ("ab" * 20 + ".debug")
    old.write_bytes(b"\0" * (2 << 20))
    os.utime(old, (1, 1))
    report = run_crash(tmp_path, [prog], env={"PTRC_DEBUG_CACHE": str(cache),
                                               "PTRC_DEBUG_CACHE_MAX": "1"})[1]
    assert own_frame(report, "alpha_function")[2] == line
    # the new entry pushes the oldest out to stay under 1 MiB; libc's
    # (14 MB inflated) is larger than the whole cache: not kept, and it
    # evicts nothing (the program's entry stays once every writer is done)
    assert wait_for(lambda: os.path.exists(entry(str(cache), bid)) and
                    not old.exists() and writers_done(cache),
                    timeout=60), os.listdir(cache)
    assert os.path.exists(entry(str(cache), bid)), os.listdir(cache)
    sizes = [os.path.getsize(cache / n) for n in os.listdir(cache)
             if n.endswith(".debug")]
    assert sizes and max(sizes) <= 1 << 20, sizes


def writers_done(cache):
    """No writer holds its lock (DIR/BUILDID.lock, flock'ed while it runs)."""
    for name in os.listdir(cache):
        if not name.endswith(".lock"):
            continue
        with open(cache / name) as f:
            try:
                fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                return False
    return True


@pytest.mark.skipif(os.geteuid() != 0, reason="chown to another user needs root")
def test_no_cache_made_inside_another_users_directory(tmp_path):
    """root's ptrc with a user's $HOME: nothing is created in it."""
    prog, bid, line = build(str(tmp_path), "a")
    home = tmp_path / "home"
    home.mkdir()
    os.chown(home, 65534, 65534)
    cache = str(home / "cache" / "debug")
    assert '"%s.debug"' % prog in opened_by_ptrc(tmp_path, prog, cache)
    # the writer is detached and says nothing: a negative, bounded by the
    # time a writer takes for this small file (a positive control below)
    assert not wait_for(lambda: os.listdir(home), timeout=5), os.listdir(home)
    ours = str(tmp_path / "ours" / "debug")
    crash(tmp_path, prog, ours)
    assert wait_for(lambda: os.path.exists(entry(ours, bid)), timeout=30)
    assert os.listdir(home) == []
