"""Separate debug info for stacks: .gnu_debuglink, a .build-id tree
(PTRC_DEBUGINFO_PATH), debuginfod (a real local server), and executables
deleted or replaced on disk while they run.

Fixtures (fixtures/meson.build): crash_null-O2[-m32].debug (objcopy
--only-keep-debug), .debuglink (debug sections stripped, .symtab kept, a
.gnu_debuglink to the .debug file beside it) and .stripped (strip-all: no
.symtab, no debuglink; its debug info is found by build-id only)."""
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from conftest import FIXTURES, PTRC, i386, program, proc_state, wait_for

SOURCE = os.path.join(os.path.dirname(__file__), "..", "..", "fixtures",
                      "crash_null.c")
OWN = [("level3", "level3"), ("level2", "level2"), ("level1", "level1"),
       ("main", "main")]
ARCHES = pytest.mark.parametrize("suffix", ["", i386("-m32")], ids=["native", "m32"])


def markers():
    found = {}
    with open(SOURCE) as f:
        for number, line in enumerate(f, 1):
            m = re.search(r"LINE:(\w+)", line)
            if m:
                found[m.group(1)] = number
            if "crash_wait_for_go(argc, argv);" in line:
                found["wait"] = number
    return found


def fixture_file(name):
    path = os.path.join(FIXTURES, name)
    if "-m32" in name:
        return program(path)
    if not os.path.exists(path):
        if not shutil.which("objcopy"):
            pytest.skip("no objcopy: no stripped fixtures")
        raise FileNotFoundError(path)
    return path


def build_id(path):
    """The GNU build-id of the ELF file at PATH, in hex."""
    with open(path, "rb") as f:
        data = f.read()
    # The note: namesz 4, descsz, type 3 (NT_GNU_BUILD_ID), "GNU\0", bits.
    for m in re.finditer(rb"\x04\x00\x00\x00(.)\x00\x00\x00\x03\x00\x00\x00GNU\x00",
                         data, re.S):
        size = m.group(1)[0]
        return data[m.end():m.end() + size].hex()
    raise AssertionError("no build-id in %s" % path)


def run_crash(tmp_path, argv, env=None, stdin=None, timeout=60):
    """`ptrc run --crash --json -o FILE -- ARGV`: (exit status, the crash
    report as a dict, ptrc's stderr). Core dumps are not allowed."""
    out = tmp_path / ("report%d.json" % time.monotonic_ns())
    full_env = dict(os.environ, **(env or {}))
    done = subprocess.run([PTRC, "run", "--crash", "--json", "-o", str(out),
                           "--", *argv], cwd=tmp_path, env=full_env,
                          input=stdin, capture_output=True, timeout=timeout)
    docs = [json.loads(l) for l in out.read_text(errors="replace").splitlines()
            if l.strip()] if out.exists() else []
    reports = [d for d in docs if d.get("type") == "crash"]
    assert len(reports) == 1, (docs, done.stderr)
    return done.returncode, reports[0], done.stderr


def own_frames(thread, module):
    """Frames whose module is MODULE (a path; " (deleted)" allowed)."""
    return [f for f in thread["frames"]
            if f["module"] and f["module"].split(" (deleted)")[0] == module]


def check_lines(frames, expect_lines=True):
    """The program's own frames, innermost first: level3..main; with file
    and line from the debug info, or (EXPECT_LINES false) without any."""
    lines = markers()
    got = [(f["function"], f["file"], f["line"]) for f in frames]
    assert len(frames) >= len(OWN), got
    for f, (function, marker) in zip(frames, OWN):
        assert f["function"] == function, got
        assert not f["inlined"], got
        if expect_lines:
            assert f["file"] and os.path.basename(f["file"]) == "crash_null.c", got
            assert f["line"] == lines[marker], (function, got)
        else:
            assert f["file"] is None and f["line"] == 0, got


def module_of(report, path):
    [m] = [m for m in report["modules"]
           if m["path"].split(" (deleted)")[0] == path]
    return m


# ---- .gnu_debuglink ----

@ARCHES
def test_debuglink_beside(tmp_path, suffix):
    exe = fixture_file("crash_null-O2%s.debuglink" % suffix)
    debug = fixture_file("crash_null-O2%s.debug" % suffix)
    status, r, _ = run_crash(tmp_path, [exe])
    assert status == 128 + signal.SIGSEGV
    check_lines(own_frames(r["threads"][0], exe))
    assert module_of(r, exe)["debug_file"] == debug
    assert module_of(r, exe)["build_id"] == build_id(exe) == build_id(debug)
    assert "-O2" in (r["producer"] or "")


def test_debuglink_in_dot_debug(tmp_path):
    """libdw's default search also looks in .debug/ below the file's
    directory."""
    exe = tmp_path / "prog"
    shutil.copy(fixture_file("crash_null-O2.debuglink"), exe)
    (tmp_path / ".debug").mkdir()
    shutil.copy(fixture_file("crash_null-O2.debug"), tmp_path / ".debug")
    _, r, _ = run_crash(tmp_path, [str(exe)])
    check_lines(own_frames(r["threads"][0], str(exe)))
    assert module_of(r, str(exe))["debug_file"] == str(
        tmp_path / ".debug" / "crash_null-O2.debug")


def test_debuglink_crc_mismatch_ignored(tmp_path):
    """A file by the debuglink's name that is not the right one (another
    build's debug info) is not used: names from .symtab, no lines."""
    exe = tmp_path / "prog"
    shutil.copy(fixture_file("crash_null-O2.debuglink"), exe)
    other = tmp_path / "other"
    shutil.copy(os.path.join(FIXTURES, "crash_null-O0"), other)
    subprocess.run(["objcopy", "--only-keep-debug", str(other),
                    str(tmp_path / "crash_null-O2.debug")], check=True)
    _, r, _ = run_crash(tmp_path, [str(exe)])
    check_lines(own_frames(r["threads"][0], str(exe)), expect_lines=False)
    assert module_of(r, str(exe))["debug_file"] is None


@ARCHES
def test_debuglink_missing_names_from_symtab(tmp_path, suffix):
    """The debug file gone: function names still come from .symtab, no
    source lines, and the text report says where each frame is."""
    exe = tmp_path / "prog"
    shutil.copy(fixture_file("crash_null-O2%s.debuglink" % suffix), exe)
    status, r, _ = run_crash(tmp_path, [str(exe)])
    assert status == 128 + signal.SIGSEGV
    check_lines(own_frames(r["threads"][0], str(exe)), expect_lines=False)
    assert module_of(r, str(exe))["debug_file"] is None
    assert r["producer"] is None
    out = tmp_path / "report.txt"
    subprocess.run([PTRC, "run", "--crash", "-o", str(out), "--", str(exe)],
                   cwd=tmp_path, timeout=60)
    text = out.read_text()
    assert re.search(r"^#0 +0x[0-9a-f]+ in level3\+0x[0-9a-f]+ from %s$"
                     % re.escape(str(exe)), text, re.M), text


@ARCHES
def test_fully_stripped_says_unknown(tmp_path, suffix):
    """No .symtab and no debug info: the program's own frames have no name
    (`??` in text), never a wrong one; libc's frames keep theirs."""
    exe = tmp_path / "prog"
    shutil.copy(fixture_file("crash_null-O2%s.stripped" % suffix), exe)
    # An empty search path: no debuglink, no .build-id tree at all.
    env = {"PTRC_DEBUGINFO_PATH": str(tmp_path / "nothing")}
    _, r, _ = run_crash(tmp_path, [str(exe)], env=env)
    own = own_frames(r["threads"][0], str(exe))
    assert len(own) >= 4
    for f in own[:4]:
        assert f["function"] is None and f["file"] is None, own
    offsets = [int(f["module_offset"], 16) for f in own[:4]]
    reference = own_frames(run_crash(tmp_path, [fixture_file(
        "crash_null-O2%s.debuglink" % suffix)])[1]["threads"][0],
        fixture_file("crash_null-O2%s.debuglink" % suffix))
    assert offsets == [int(f["module_offset"], 16) for f in reference[:4]]
    # (i386 too, though eu-stack ends its walk at main: see
    # src/stack/thread_state32.c)
    assert any(f["function"] == "__libc_start_main"
               for f in r["threads"][0]["frames"])
    out = tmp_path / "report.txt"
    subprocess.run([PTRC, "run", "--crash", "-o", str(out), "--", str(exe)],
                   cwd=tmp_path, env=dict(os.environ, **env), timeout=60)
    text = out.read_text()
    assert re.search(r"^#0 +0x[0-9a-f]+ in \?\? from %s\+0x[0-9a-f]+$"
                     % re.escape(str(exe)), text, re.M), text


# ---- /usr/lib/debug/.build-id layout, in a directory of the test's ----

def build_id_tree(root, debug_file):
    bid = build_id(debug_file)
    target = root / ".build-id" / bid[:2] / (bid[2:] + ".debug")
    target.parent.mkdir(parents=True)
    shutil.copy(debug_file, target)
    return target


@ARCHES
def test_build_id_tree(tmp_path, suffix):
    exe = tmp_path / "prog"
    shutil.copy(fixture_file("crash_null-O2%s.stripped" % suffix), exe)
    target = build_id_tree(tmp_path / "debug",
                           fixture_file("crash_null-O2%s.debug" % suffix))
    env = {"PTRC_DEBUGINFO_PATH": str(tmp_path / "debug")}
    status, r, _ = run_crash(tmp_path, [str(exe)], env=env)
    assert status == 128 + signal.SIGSEGV
    check_lines(own_frames(r["threads"][0], str(exe)))
    assert module_of(r, str(exe))["debug_file"] == str(target)
    assert "-O2" in (r["producer"] or "")


def test_build_id_tree_keeps_default_path(tmp_path):
    """PTRC_DEBUGINFO_PATH replaces libdw's default path; listing the
    default entries too keeps /usr/lib/debug (libc6-dbg) in use."""
    exe = tmp_path / "prog"
    shutil.copy(fixture_file("crash_null-O2.stripped"), exe)
    build_id_tree(tmp_path / "debug", fixture_file("crash_null-O2.debug"))
    env = {"PTRC_DEBUGINFO_PATH": str(tmp_path / "debug") + ":.debug:/usr/lib/debug"}
    _, r, _ = run_crash(tmp_path, [str(exe)], env=env)
    check_lines(own_frames(r["threads"][0], str(exe)))
    libc = [m for m in r["modules"] if "libc.so" in m["path"]]
    if not (libc and libc[0]["build_id"] and os.path.exists(
            "/usr/lib/debug/.build-id/%s/%s.debug" % (
                libc[0]["build_id"][:2], libc[0]["build_id"][2:]))):
        pytest.skip("no libc debug info in /usr/lib/debug (libc6-dbg)")
    start = [f for f in r["threads"][0]["frames"]
             if f["function"] == "__libc_start_main"]
    assert start and start[0]["file"], start


# ---- debuginfod ----

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_status(url, timeout=2):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as e:
        return e.code
    except OSError:
        return None


@pytest.fixture
def debuginfod_server(tmp_path):
    """A debuginfod on 127.0.0.1 scanning a directory that holds only the
    debug file of crash_null-O2.stripped (and -m32's). Yields (url, the
    server's log path); the server is stopped at the end."""
    binary = shutil.which("debuginfod")
    if not binary:
        pytest.skip("no debuginfod (Debian package debuginfod)")
    libdw = subprocess.run(["ldconfig", "-p"], capture_output=True,
                           text=True).stdout
    if "libdebuginfod.so.1" not in libdw:
        pytest.skip("no libdebuginfod.so.1: libdw cannot ask debuginfod")
    files = tmp_path / "served"
    files.mkdir()
    wanted = []
    for suffix in ("", "-m32"):
        debug = os.path.join(FIXTURES, "crash_null-O2%s.debug" % suffix)
        if os.path.exists(debug):
            shutil.copy(debug, files)
            wanted.append(build_id(debug))
    assert wanted, "no crash_null-O2.debug fixture"
    port = free_port()
    log = tmp_path / "debuginfod.log"
    # 0.188 has no bind address option: it listens on every address; the
    # clients are told 127.0.0.1. No rescans, no grooming, one scanner.
    with open(log, "w") as logf:
        server = subprocess.Popen(
            [binary, "-p", str(port), "-d", str(tmp_path / "db.sqlite"),
             "-F", "-t", "0", "-g", "0", "-c", "1", "-v", str(files)],
            stdout=logf, stderr=subprocess.STDOUT, cwd=tmp_path)
    url = "http://127.0.0.1:%d" % port
    try:
        # Scanning is done when the server answers for every build-id.
        ready = wait_for(lambda: server.poll() is not None or all(
            http_status("%s/buildid/%s/debuginfo" % (url, b)) == 200
            for b in wanted), timeout=30, interval=0.2)
        assert server.poll() is None, "debuginfod exited:\n" + log.read_text()
        assert ready, "debuginfod never served the debug files:\n" + log.read_text()
        yield url, log
    finally:
        if server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=10)


def debuginfod_env(tmp_path, url):
    return {"DEBUGINFOD_URLS": url,
            "DEBUGINFOD_CACHE_PATH": str(tmp_path / "client-cache"),
            "DEBUGINFOD_TIMEOUT": "10",
            # Nothing local: whatever debug info comes, comes from the server.
            "PTRC_DEBUGINFO_PATH": str(tmp_path / "nothing")}


@ARCHES
def test_debuginfod_crash_report(tmp_path, debuginfod_server, suffix):
    url, log = debuginfod_server
    stripped = fixture_file("crash_null-O2%s.stripped" % suffix)
    exe = tmp_path / "prog"
    shutil.copy(stripped, exe)
    bid = build_id(stripped)
    status, r, stderr = run_crash(tmp_path, [str(exe)],
                                  env=debuginfod_env(tmp_path, url), timeout=90)
    assert status == 128 + signal.SIGSEGV
    check_lines(own_frames(r["threads"][0], str(exe)))
    assert "-O2" in (r["producer"] or "")
    # It came from the server: the client cached it, the server logged it.
    assert (tmp_path / "client-cache" / bid / "debuginfo").exists()
    assert re.search(r"GET /buildid/%s/debuginfo 200" % bid, log.read_text())


def test_debuginfod_stack_snapshot(tmp_path, debuginfod_server, background):
    url, log = debuginfod_server
    exe = tmp_path / "prog"
    shutil.copy(fixture_file("crash_null-O2.stripped"), exe)
    env = dict(os.environ, **debuginfod_env(tmp_path, url))
    p = background([str(exe), "wait"], stdin=subprocess.PIPE,
                   stdout=subprocess.PIPE)
    assert p.proc.stdout.readline() == b"ready\n"
    assert wait_for(lambda: proc_state(p.pid) == "S")
    done = subprocess.run([PTRC, "stack", "--json", str(p.pid)], env=env,
                          capture_output=True, text=True, timeout=90)
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    [t] = doc["threads"]
    own = own_frames(t, str(exe))
    lines = markers()
    names = [(f["function"], f["line"], f["inlined"]) for f in own]
    # main, blocked in read() from the inlined crash_wait_for_go
    assert own[0]["function"] == "crash_wait_for_go" and own[0]["inlined"], names
    assert os.path.basename(own[0]["file"]) == "crash_common.h", names
    assert own[1]["function"] == "main" and own[1]["line"] == lines["wait"], names
    assert os.path.basename(own[1]["file"]) == "crash_null.c", names
    assert proc_state(p.pid) in ("S", "R")   # detached, still alive


def test_debuginfod_unresponsive_is_bounded(tmp_path):
    """A server that never answers, not even the TCP handshake (its listen
    backlog is full): DEBUGINFOD_TIMEOUT does not bound the connection
    phase (curl's connect timeout is minutes, per module). ptrc cancels a
    query that gets nothing for 5 s and then asks no more: the report
    comes within seconds, with the names that are local."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(0)
        address = server.getsockname()
        fill = []
        for _ in range(3):
            c = socket.socket()
            c.setblocking(False)
            try:
                c.connect(address)
            except BlockingIOError:
                pass
            fill.append(c)
        exe = tmp_path / "prog"
        shutil.copy(fixture_file("crash_null-O2.debuglink"), exe)
        env = debuginfod_env(tmp_path, "http://%s:%d" % address)
        start = time.monotonic()
        status, r, _ = run_crash(tmp_path, [str(exe)], env=env, timeout=120)
        elapsed = time.monotonic() - start
        for c in fill:
            c.close()
    assert status == 128 + signal.SIGSEGV
    check_lines(own_frames(r["threads"][0], str(exe)), expect_lines=False)
    assert elapsed < 20, elapsed


# ---- the executable replaced or deleted on disk while it runs ----

def start_waiting(argv, cwd, env=None):
    p = subprocess.Popen([*argv, "wait"], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, cwd=cwd, env=env)
    return p


def crash_after(tmp_path, argv, change, prefix=()):
    """Runs ARGV under `ptrc run --crash` (inside PREFIX, e.g. nsenter),
    calls CHANGE() once the program waits, then lets it crash. Returns the
    JSON report."""
    out = tmp_path / "report.json"
    p = subprocess.Popen([*prefix, PTRC, "run", "--crash", "--json", "-o",
                          str(out), "--", *argv, "wait"],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         cwd=tmp_path)
    try:
        assert p.stdout.readline() == b"ready\n"
        change()
        p.stdin.write(b"x")
        p.stdin.close()
        assert p.wait(timeout=60) == 128 + signal.SIGSEGV
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    [r] = [d for d in map(json.loads, out.read_text().splitlines())
           if d["type"] == "crash"]
    return r


def replace_by_rename(path, other):
    def change():
        shutil.copy(other, str(path) + ".new")
        os.rename(str(path) + ".new", path)
    return change


@pytest.mark.parametrize("variant", ["O2", "O2.debuglink"])
def test_executable_replaced_by_rename(tmp_path, variant):
    """`mv new prog` over the running program (how installs replace
    files): /proc/PID/exe says "(deleted)"; the report warns, and the
    stack still comes from the running image (through /proc/PID/exe), its
    debuglink looked for beside the original path."""
    exe = tmp_path / "prog"
    shutil.copy(fixture_file("crash_null-" + variant), exe)
    if variant.endswith(".debuglink"):
        shutil.copy(fixture_file("crash_null-O2.debug"), tmp_path)
    r = crash_after(tmp_path, [str(exe)], replace_by_rename(
        exe, os.path.join(FIXTURES, "crash_null-O0")))
    assert r["executable"] == "%s (deleted)" % exe
    assert any("deleted or replaced on disk" in w for w in r["warnings"]), r["warnings"]
    assert r["build_id"] == build_id(fixture_file("crash_null-" + variant))
    check_lines(own_frames(r["threads"][0], str(exe)))
    assert module_of(r, str(exe))["build_id"] == r["build_id"]


def test_executable_deleted_libunwind_says_why(tmp_path):
    """libunwind-ptrace reads unwind info from the path in /proc/PID/maps,
    which no longer opens: the walk stops with that reason (not a made-up
    one), and the frame it has is symbolized from the running image."""
    exe = tmp_path / "prog"
    shutil.copy(fixture_file("crash_null-O2"), exe)
    out = tmp_path / "report.json"
    p = subprocess.Popen([PTRC, "run", "--crash", "--json", "--unwinder=libunwind",
                          "-o", str(out), "--", str(exe), "wait"],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         cwd=tmp_path)
    assert p.stdout.readline() == b"ready\n"
    os.unlink(exe)
    p.stdin.write(b"x")
    p.stdin.close()
    assert p.wait(timeout=60) == 128 + signal.SIGSEGV
    [r] = [d for d in map(json.loads, out.read_text().splitlines())
           if d["type"] == "crash"]
    t = r["threads"][0]
    assert t["frames"][0]["function"] == "level3"
    if t["walk"] != "complete":
        assert "deleted or replaced" in t["stop_reason"], t["stop_reason"]


def can_bind_mount():
    if not (shutil.which("unshare") and shutil.which("nsenter")):
        return False
    return subprocess.run(["unshare", "-m", "--propagation", "private",
                           "true"], capture_output=True).returncode == 0


@pytest.mark.skipif(not can_bind_mount(), reason="no mount namespaces here")
def test_executable_replaced_under_same_path(tmp_path):
    """Another build now at the program's path, the path itself unchanged
    (a bind mount over it here; also what a tracer outside a container's
    mount namespace sees): the report warns with both build-ids, and the
    stack and compiler are the running image's, not the other file's."""
    exe = tmp_path / "prog"
    other = tmp_path / "other"
    shutil.copy(fixture_file("crash_null-O2"), exe)
    shutil.copy(os.path.join(FIXTURES, "crash_null-O0"), other)
    holder = subprocess.Popen(["unshare", "-m", "--propagation", "private",
                               "sleep", "300"])
    try:
        # the holder's own mount namespace exists once it runs sleep
        assert wait_for(lambda: os.readlink("/proc/%d/ns/mnt" % holder.pid)
                        != os.readlink("/proc/self/ns/mnt"))
        enter = ["nsenter", "-t", str(holder.pid), "-m", "--wd=%s" % tmp_path]

        def change():
            subprocess.run([*enter, "mount", "--bind", str(other), str(exe)],
                           check=True, timeout=30)
        r = crash_after(tmp_path, [str(exe)], change, prefix=enter)
    finally:
        holder.kill()
        holder.wait()
    running, on_disk = build_id(fixture_file("crash_null-O2")), build_id(other)
    assert running != on_disk
    assert r["executable"] == str(exe)
    assert r["build_id"] == running and r["disk_build_id"] == on_disk
    assert any(on_disk in w and running in w and "not the one on disk" in w
               for w in r["warnings"]), r["warnings"]
    check_lines(own_frames(r["threads"][0], str(exe)))
    assert module_of(r, str(exe))["build_id"] == running
    assert "-O2" in r["producer"] and "-O0" not in r["producer"]
