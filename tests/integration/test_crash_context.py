"""The crash report's process context, checked against its oracles: the
held process's /proc files (fd, fdinfo, status, limits, cgroup, cwd, root),
prlimit(1), /etc/passwd and /etc/group, strace -yy's rendering of the same
descriptors (fixture crash_context calls fcntl(F_GETFL) on each), and the
kernel itself for where the core goes (the core file is looked for where
the report said). The fixture's expectations are x86_64-native runs; the
fixture itself is portable (-m32 builds exist for the guest)."""
import grp
import json
import os
import pathlib
import pwd
import re
import resource
import shutil
import signal
import subprocess
import tempfile

import pytest

from conftest import FIXTURES, PTRC, i386, program, wait_for

EXE = os.path.join(FIXTURES, "crash_context-O2")
LIMITS = {"core": "Max core file size", "stack": "Max stack size",
          "nofile": "Max open files", "as": "Max address space",
          "data": "Max data size"}


def core_limit(soft, hard=resource.RLIM_INFINITY):
    def set_it():
        resource.setrlimit(resource.RLIMIT_CORE, (soft, hard))
    return set_it


def fds_line(line):
    """'fds file=3 ... port=P peer=Q' of the fixture -> {name: [ints]}."""
    assert line.startswith("fds "), line
    return {k: [int(x) for x in v.split(",")]
            for k, v in (w.split("=") for w in line.split()[1:])}


class Held:
    """ptrc run --crash --on-crash=hold on the fixture: the report, and the
    crashed process left stopped for the oracles to read; killed at the
    end."""

    def __init__(self, tmp_path, args, *options, preexec=core_limit(0),
                 exe=EXE):
        self.out = tmp_path / "report"
        self.ptrc = subprocess.Popen(
            [PTRC, "run", "--crash", "--on-crash=hold", "-o", str(self.out),
             *options, "--", program(exe), *args], cwd=tmp_path,
            stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True,
            preexec_fn=preexec)
        self.fds = fds_line(self.ptrc.stdout.readline())
        assert wait_for(lambda: self.out.exists() and self._complete(),
                        timeout=60), "no complete report"
        self.text = self.out.read_text(errors="replace")

    def _complete(self):
        t = self.out.read_text(errors="replace")
        return "=== end of crash report ===" in t or t.endswith("}\n")

    def json(self):
        [doc] = [json.loads(x) for x in self.text.splitlines() if x.strip()]
        return doc

    def kill(self, pid):
        os.kill(pid, signal.SIGKILL)
        self.ptrc.wait(timeout=60)
        self.ptrc.stdout.close()


@pytest.fixture
def held(tmp_path):
    made = []

    def start(args, *options, **kw):
        h = Held(tmp_path, args, *options, **kw)
        made.append(h)
        return h
    yield start
    for h in made:
        if h.ptrc.poll() is None:
            h.ptrc.kill()
            h.ptrc.wait()


def proc_fds(pid):
    """/proc/PID/fd and fdinfo: {fd: (target, flags, pos)}."""
    found = {}
    for name in os.listdir("/proc/%d/fd" % pid):
        fd = int(name)
        target = os.readlink("/proc/%d/fd/%d" % (pid, fd))
        with open("/proc/%d/fdinfo/%d" % (pid, fd)) as f:
            info = dict(line.split(":", 1) for line in f.read().splitlines()[:3])
        found[fd] = (target, int(info["flags"].strip(), 8),
                     int(info["pos"].strip()))
    return found


@pytest.mark.parametrize("build", ["O2", i386("O2-m32")])
def test_json_context_matches_proc(tmp_path, held, build):
    h = held(["plain"], "--json",
             exe=os.path.join(FIXTURES, "crash_context-" + build))
    r = h.json()
    pid = r["pid"]
    c = r["context"]
    try:
        # the documented fields (docs/internals/crash-and-stack.md), no more
        assert set(c) == {"uid", "gid", "groups", "groups_total",
                          "groups_cut", "cwd", "cwd_inside", "root",
                          "chrooted", "cgroup", "limits", "core", "fds"}
        assert set(c["core"]) == {"signal_dumps", "pattern", "pipe", "helper",
                                  "path", "host_path", "path_exact",
                                  "dumpable", "suid_dumpable", "verdict"}
        assert set(c["limits"]) == set(LIMITS)
        assert set(c["fds"]) == {"count", "more", "list"}
        assert all(set(f) == {"fd", "text", "target", "flags", "flags_text",
                              "pos"} for f in c["fds"]["list"])
        # descriptors: every one of /proc/PID/fd, with fdinfo's flags
        proc = proc_fds(pid)
        assert c["fds"]["count"] == len(proc) and c["fds"]["more"] == 0
        assert [f["fd"] for f in c["fds"]["list"]] == sorted(proc)
        for f in c["fds"]["list"]:
            target, flags, pos = proc[f["fd"]]
            assert f["target"] == target
            assert int(f["flags"], 8) == flags, f
            assert f["text"].startswith("%d<" % f["fd"]), f
            regular = target.startswith("/") and os.path.isfile(
                "/proc/%d/fd/%d" % (pid, f["fd"]))
            assert f["pos"] == (pos if regular else None), f
        fds = h.fds
        byfd = {f["fd"]: f for f in c["fds"]["list"]}
        assert byfd[fds["file"][0]]["pos"] == 10
        assert byfd[fds["out"][0]]["pos"] == 7
        assert byfd[fds["file"][0]]["text"] == "%d</etc/passwd>" % fds["file"][0]
        # A 64-bit open() adds O_LARGEFILE, and so does an i386 one built
        # with _FILE_OFFSET_BITS=64 (meson's default: the i386 guest shows
        # it), the flags above are compared with fdinfo's either way.
        assert byfd[fds["file"][0]]["flags_text"] == \
            "O_RDONLY|O_LARGEFILE|O_CLOEXEC"
        # TCP sockets by address: the i386 variant runs in the guest, whose
        # kernel lacks the inet_diag modules (-yy shows the inode there,
        # as strace does); its targets and flags are checked above.
        if not build.endswith("m32"):
            assert byfd[fds["listener"][0]]["text"] == \
                "%d<TCP:[127.0.0.1:%d]>" % (fds["listener"][0], fds["port"][0])
            assert byfd[fds["client"][0]]["text"] == \
                "%d<TCP:[127.0.0.1:%d->127.0.0.1:%d]>" % (
                    fds["client"][0], fds["peer"][0], fds["port"][0])
            assert byfd[fds["server"][0]]["text"] == \
                "%d<TCP:[127.0.0.1:%d->127.0.0.1:%d]>" % (
                    fds["server"][0], fds["port"][0], fds["peer"][0])
        assert byfd[fds["client"][0]]["flags_text"] == "O_RDWR|O_CLOEXEC"
        assert byfd[fds["eventfd"][0]]["text"] == \
            "%d<anon_inode:[eventfd]>" % fds["eventfd"][0]
        assert byfd[fds["eventfd"][0]]["flags_text"] == "O_RDWR|O_NONBLOCK"
        a, b = fds["unix"]
        ia = os.stat("/proc/%d/fd/%d" % (pid, a)).st_ino
        ib = os.stat("/proc/%d/fd/%d" % (pid, b)).st_ino
        # (the guest kernel has no unix_diag either: the inode alone)
        assert byfd[a]["text"] == ("%d<UNIX-STREAM:[%d]>" % (a, ia)
                                   if build.endswith("m32") else
                                   "%d<UNIX-STREAM:[%d->%d]>" % (a, ia, ib))
        p0, p1 = fds["pipe"]
        assert byfd[p0]["flags_text"] == "O_RDONLY|O_CLOEXEC"
        assert byfd[p1]["flags_text"] == "O_WRONLY|O_CLOEXEC"
        assert byfd[p0]["text"] == "%d<%s>" % (p0, proc[p0][0])

        # credentials: /proc/PID/status and the name files
        with open("/proc/%d/status" % pid) as f:
            status = dict(line.split(":", 1) for line in f if ":" in line)
        for key, field in (("uid", "Uid"), ("gid", "Gid")):
            ids = [int(x) for x in status[field].split()]
            got = c[key]
            assert [got[w]["id"] for w in ("real", "effective", "saved",
                                           "filesystem")] == ids
        assert c["uid"]["real"]["name"] == pwd.getpwuid(os.getuid()).pw_name
        assert c["gid"]["real"]["name"] == grp.getgrgid(os.getgid()).gr_name
        groups = [int(x) for x in status["Groups"].split()]
        assert [g["id"] for g in c["groups"]] == groups
        assert c["groups_total"] == len(groups) and not c["groups_cut"]

        # places
        assert c["cwd"] == os.readlink("/proc/%d/cwd" % pid) == str(tmp_path)
        assert c["root"] == "/" and c["chrooted"] is False
        assert c["cwd_inside"] == c["cwd"]
        with open("/proc/%d/cgroup" % pid) as f:
            assert c["cgroup"] == f.read().splitlines()

        # limits: prlimit(1) (the prlimit syscall) and /proc/PID/limits
        for name, soft, hard in prlimit(pid):
            got = c["limits"][name]
            assert (got["soft"], got["hard"]) == (soft, hard), name
        assert c["limits"]["nofile"]["soft"] == 200
        assert c["limits"]["stack"]["soft"] == 4 << 20
        assert c["limits"]["data"]["soft"] == 1 << 30
        assert c["limits"]["core"]["soft"] == 0

        # the core: RLIMIT_CORE 0 (the Held default) keeps it from a file
        k = c["core"]
        assert k["signal_dumps"] is True
        with open("/proc/sys/kernel/core_pattern") as f:
            assert k["pattern"] == f.read().rstrip("\n")
        assert k["dumpable"] is None  # root: not knowable from /proc
        if not k["pipe"]:
            assert k["verdict"] == "none: RLIMIT_CORE is 0"
        assert "environment" not in c
    finally:
        h.kill(pid)


def prlimit(pid):
    if not shutil.which("prlimit"):
        pytest.skip("no prlimit(1)")
    out = subprocess.run(
        ["prlimit", "--pid", str(pid), "--raw", "--noheadings",
         "--output", "RESOURCE,SOFT,HARD"], capture_output=True, text=True,
        check=True).stdout
    names = {"CORE": "core", "STACK": "stack", "NOFILE": "nofile",
             "AS": "as", "DATA": "data"}
    rows = []
    for line in out.splitlines():
        res, soft, hard = line.split()
        if res in names:
            val = [v if v == "unlimited" else int(v) for v in (soft, hard)]
            rows.append((names[res], *val))
    assert len(rows) == 5, out
    return rows


def strace_renderings(tmp_path):
    """strace -yy's rendering of each fixture descriptor, and F_GETFL's
    flags: {fd: (text, flags)} (another run: numbers differ)."""
    if not shutil.which("strace"):
        pytest.skip("no strace")
    log = tmp_path / "strace.log"
    subprocess.run(["strace", "-yy", "-e", "trace=fcntl", "-o", str(log),
                    program(EXE), "plain"], cwd=tmp_path,
                   stdout=subprocess.DEVNULL, preexec_fn=core_limit(0))
    found = {}
    for line in log.read_text().splitlines():
        m = re.match(r"fcntl\((\d+)(<.*>), F_GETFL\)\s+= \S+ \(flags (\S+)\)$",
                     line)
        if m:
            found[int(m.group(1))] = (m.group(1) + m.group(2), m.group(3))
    return found


def numbers_out(text):
    return re.sub(r"\d+", "#", text)


def test_text_fds_render_as_strace(tmp_path, held):
    want = strace_renderings(tmp_path)
    assert len(want) == 10, want
    h = held(["plain"])
    pid = int(re.search(r"PID: (\d+)", h.text).group(1))
    try:
        lines = {}
        for line in h.text.splitlines():
            m = re.match(r" {12}(\d+)(<.*>(?:\(deleted\))?) (\S+)(?: pos=(\d+))?$",
                         line)
            if m:
                lines[int(m.group(1))] = (m.group(1) + m.group(2), m.group(3),
                                          m.group(4))
        assert sorted(lines) == sorted(int(x) for x in
                                       os.listdir("/proc/%d/fd" % pid))
        m = re.search(r"\n +Fds: (\d+) open\n", h.text)
        assert int(m.group(1)) == len(lines)
        for fd, (text, flags) in want.items():
            got_text, got_flags, _ = lines[fd]
            # the same shape; inodes and ports differ between the runs
            assert numbers_out(got_text) == numbers_out(text), (got_text, text)
            # fdinfo's flags are F_GETFL's and the close-on-exec bit
            assert got_flags.replace("|O_CLOEXEC", "") == flags, (fd, got_flags)
        assert lines[h.fds["file"][0]][2] == "10"
        assert "Root: / \n" not in h.text and "\n      Root: /\n" in h.text
    finally:
        h.kill(pid)


def test_chrooted_daemon_as_postfix_runs(tmp_path, held):
    """chroot, then setgroups/setresgid/setresuid to nobody, as a Postfix
    daemon does: the report says chrooted, names the ids, and (the
    credentials changed: not dumpable) whether a core is written, which
    the kernel then confirms."""
    try:
        nobody = pwd.getpwnam("nobody")
    except KeyError:
        pytest.skip("no user nobody")
    jail = tmp_path / "jail"
    jail.mkdir()
    h = held(["postfix", str(jail), str(nobody.pw_uid), str(nobody.pw_gid)],
             "--json", preexec=core_limit(resource.RLIM_INFINITY))
    r = h.json()
    pid = r["pid"]
    c = r["context"]
    try:
        assert c["chrooted"] is True and c["root"] == str(jail)
        assert c["root"] == os.readlink("/proc/%d/root" % pid)
        assert c["cwd"] == str(jail) and c["cwd_inside"] == "/"
        for key, id_, name in (("uid", nobody.pw_uid, nobody.pw_name),
                               ("gid", nobody.pw_gid,
                                grp.getgrgid(nobody.pw_gid).gr_name)):
            for w in ("real", "effective", "saved", "filesystem"):
                assert c[key][w] == {"id": id_, "name": name}
        want = sorted({4, nobody.pw_gid})
        assert [g["id"] for g in c["groups"]] == want
        assert [g["name"] for g in c["groups"]] == [
            grp.getgrgid(g).gr_name for g in want]
        # /proc/PID/status is root's: the setuid made it not dumpable
        assert os.stat("/proc/%d/status" % pid).st_uid == 0
        k = c["core"]
        assert k["dumpable"] is False
        with open("/proc/sys/fs/suid_dumpable") as f:
            suid_dumpable = int(f.read())
        assert k["suid_dumpable"] == suid_dumpable
        if not k["pipe"] and suid_dumpable == 0:
            assert k["verdict"].startswith("none: the process is not dumpable")
        # limits as /proc/PID/limits shows them (prlimit(2) may be refused
        # for another uid without CAP_SYS_RESOURCE)
        with open("/proc/%d/limits" % pid) as f:
            text = f.read()
        for name, title in LIMITS.items():
            m = re.search(re.escape(title) + r"\s+(\S+)\s+(\S+)", text)
            val = [v if v == "unlimited" else int(v) for v in m.groups()]
            assert [c["limits"][name]["soft"], c["limits"][name]["hard"]] == val
    finally:
        h.kill(pid)
    if not k["pipe"] and suid_dumpable == 0:
        assert not [p for p in jail.iterdir() if p.name.startswith("core")]


def test_text_says_chrooted(tmp_path):
    jail = tmp_path / "jail"
    jail.mkdir()
    out = tmp_path / "r.txt"
    subprocess.run([PTRC, "run", "--crash", "-o", str(out), "--",
                    program(EXE), "postfix", str(jail), "0", "0"],
                   cwd=tmp_path, stdout=subprocess.DEVNULL, timeout=60,
                   preexec_fn=core_limit(0))
    text = out.read_text()
    assert "\n      Root: %s (chrooted: the process sees it as /)\n" % jail in text
    assert "\n       Cwd: %s (the process sees /)\n" % jail in text
    assert "\n      User: uid 0(root)\n" in text
    assert re.search(r"\n    Groups: 0\(root\) 4\(%s\)\n" %
                     re.escape(grp.getgrgid(4).gr_name), text), text


def simple_pattern():
    with open("/proc/sys/kernel/core_pattern") as f:
        pattern = f.read().rstrip("\n")
    with open("/proc/sys/kernel/core_uses_pid") as f:
        uses_pid = f.read().strip() == "1"
    if pattern.startswith("|") or "%" in pattern or "/" in pattern:
        pytest.skip("core_pattern %r: the core's name is not checked here" %
                    pattern)
    return pattern, uses_pid


def test_core_goes_where_the_report_says(tmp_path):
    """The kernel is the oracle: after the process dies, the core is at the
    path the report gave."""
    pattern, uses_pid = simple_pattern()
    out = tmp_path / "r.json"
    # An ASan build of ptrc sets its own RLIMIT_CORE to 0 (which the command
    # inherits) unless told not to.
    asan = os.environ.get("ASAN_OPTIONS")
    env = dict(os.environ, ASAN_OPTIONS=(asan + ":" if asan else "") +
               "disable_coredump=0")
    done = subprocess.run([PTRC, "run", "--crash", "--json", "-o", str(out),
                           "--", program(EXE), "plain"], cwd=tmp_path,
                          stdout=subprocess.DEVNULL, timeout=60, env=env,
                          preexec_fn=core_limit(resource.RLIM_INFINITY))
    assert done.returncode == 128 + signal.SIGSEGV
    r = json.loads(out.read_text())
    k = r["context"]["core"]
    name = pattern + (".%d" % r["pid"] if uses_pid else "")
    assert k["path"] == name and k["path_exact"] is True
    assert k["host_path"] == str(tmp_path / name)
    assert k["verdict"] == "file " + str(tmp_path / name)
    assert os.path.exists(k["host_path"])
    os.unlink(k["host_path"])


def test_no_core_with_rlimit_core_zero(tmp_path):
    simple_pattern()
    out = tmp_path / "r.txt"
    subprocess.run([PTRC, "run", "--crash", "-o", str(out), "--",
                    program(EXE), "plain"], cwd=tmp_path,
                   stdout=subprocess.DEVNULL, timeout=60,
                   preexec_fn=core_limit(0))
    assert "\n      Core: none: RLIMIT_CORE is 0 (core_pattern " in out.read_text()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("core")]


def test_signal_without_core(tmp_path):
    """SIGTERM kills without a core: the report says so."""
    out = tmp_path / "r.json"
    subprocess.run([PTRC, "run", "--crash", "--json", "-o", str(out), "--",
                    "sh", "-c", "kill -TERM $$"], cwd=tmp_path, timeout=60)
    r = json.loads(out.read_text())
    k = r["context"]["core"]
    assert k["signal_dumps"] is False
    assert k["verdict"] == "none: SIGTERM does not dump core"


def test_many_fds_are_bounded(tmp_path):
    code = ("import os, signal\n"
            "fds = [os.open('/dev/null', os.O_RDONLY) for _ in range(150)]\n"
            "os.kill(os.getpid(), signal.SIGSEGV)\n")
    out = tmp_path / "r.json"
    subprocess.run([PTRC, "run", "--crash", "--json", "-o", str(out), "--",
                    "/usr/bin/python3", "-c", code], cwd=tmp_path,
                   timeout=60, preexec_fn=core_limit(0))
    r = json.loads(out.read_text())
    fds = r["context"]["fds"]
    assert len(fds["list"]) == 64
    assert fds["count"] >= 153 and fds["more"] == fds["count"] - 64
    assert [f["fd"] for f in fds["list"]] == sorted(f["fd"] for f in fds["list"])
    text = tmp_path / "r.txt"
    subprocess.run([PTRC, "run", "--crash", "-o", str(text), "--",
                    "/usr/bin/python3", "-c", code], cwd=tmp_path,
                   timeout=60, preexec_fn=core_limit(0))
    t = text.read_text()
    m = re.search(r"\n {12}\.\.\. and (\d+) more\n", t)
    assert m and int(m.group(1)) >= 89
    assert len(re.findall(r"\n {12}\d+<", t)) == 64


HOSTILE = "a\x01b\nc\"d\\e\xe9"


def test_environment_only_with_the_option(tmp_path):
    env = dict(os.environ, PTRC_CTX_SECRET=HOSTILE)
    out = tmp_path / "r.json"
    subprocess.run([PTRC, "run", "--crash", "--json", "--crash-env", "-o",
                    str(out), "--", program(EXE), "plain"], cwd=tmp_path,
                   env=env, stdout=subprocess.DEVNULL, timeout=60,
                   preexec_fn=core_limit(0))
    r = json.loads(out.read_text())
    c = r["context"]
    assert "PTRC_CTX_SECRET=" + HOSTILE.encode("utf-8").decode("latin-1") \
        in c["environment"]
    assert c["environment_cut"] is False
    txt = tmp_path / "r.txt"
    subprocess.run([PTRC, "run", "--crash", "--crash-env", "-o", str(txt),
                    "--", program(EXE), "plain"], cwd=tmp_path, env=env,
                   stdout=subprocess.DEVNULL, timeout=60,
                   preexec_fn=core_limit(0))
    t = txt.read_text()
    assert '\n            "PTRC_CTX_SECRET=a\\1b\\nc\\"d\\\\e\\303\\251"\n' in t, t
    # without it: no environment at all
    subprocess.run([PTRC, "run", "--crash", "-o", str(txt), "--json", "--",
                    program(EXE), "plain"], cwd=tmp_path, env=env,
                   stdout=subprocess.DEVNULL, timeout=60,
                   preexec_fn=core_limit(0))
    r = json.loads(txt.read_text())
    assert "environment" not in r["context"]
    assert "PTRC_CTX_SECRET" not in txt.read_text()


def test_crash_env_refused_without_crash():
    done = subprocess.run([PTRC, "run", "--crash-env", "--", "true"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 64
    assert "--crash-env" in done.stderr and "--crash" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_dumpable_process_of_another_user(tmp_path):
    """Started as nobody (exec makes it dumpable): /proc/PID/status is its
    own, the report says dumpable."""
    try:
        nobody = pwd.getpwnam("nobody")
    except KeyError:
        pytest.skip("no user nobody")
    work = tempfile.mkdtemp(prefix="ptrc-ctx-")
    os.chmod(work, 0o777)

    def as_nobody():
        core_limit(0)()
        os.setgroups([])
        os.setresgid(nobody.pw_gid, nobody.pw_gid, nobody.pw_gid)
        os.setresuid(nobody.pw_uid, nobody.pw_uid, nobody.pw_uid)
    try:
        # ptrc too runs as nobody: it traces its own child
        h = Held(pathlib.Path(work), ["plain"], "--json", preexec=as_nobody)
        r = h.json()
        try:
            c = r["context"]
            assert c["uid"]["effective"] == {"id": nobody.pw_uid,
                                             "name": nobody.pw_name}
            assert os.stat("/proc/%d/status" % r["pid"]).st_uid == nobody.pw_uid
            assert c["core"]["dumpable"] is True
        finally:
            h.kill(r["pid"])
    finally:
        shutil.rmtree(work)


def test_hostile_cwd_is_escaped(tmp_path):
    """A cwd (and so a descriptor's path) with a newline, a control byte,
    brackets and a non-UTF-8 byte: one line each in text, exact in JSON."""
    name = b"we\nird\x01<d>\xff"
    weird = os.path.join(os.fsencode(str(tmp_path)), name)
    os.mkdir(weird)
    for fmt in ("--json", None):
        out = tmp_path / ("r.json" if fmt else "r.txt")
        subprocess.run([PTRC, "run", "--crash", "-o", str(out),
                        *([fmt] if fmt else []), "--", program(EXE), "plain"],
                       cwd=weird, stdout=subprocess.DEVNULL, timeout=60,
                       preexec_fn=core_limit(0))
    r = json.loads((tmp_path / "r.json").read_text())
    c = r["context"]
    assert c["cwd"] == weird.decode("latin-1")
    [out_fd] = [f for f in c["fds"]["list"]
                if f["target"].endswith("ctx_out.txt")]
    assert out_fd["target"] == (weird + b"/ctx_out.txt").decode("latin-1")
    text = (tmp_path / "r.txt").read_bytes()
    assert b"\n" + name not in text and b"\xff" not in text
    assert b"\x01" not in text
    line = [x for x in text.split(b"\n") if x.startswith(b"       Cwd: ")][0]
    # escape_bare_str, as the report's other bare texts (mappings)
    assert line.endswith(b"we\\x0aird\\x01<d>\\xff"), line
    assert re.search(rb"\n {12}\d+<[^\n]*we\\nird\\1\\74d\\76\\377/ctx_out.txt>",
                     text), text


def test_environment_is_bounded(tmp_path):
    env = {"V%03d" % i: "x" for i in range(300)}
    out = tmp_path / "r.json"
    subprocess.run([PTRC, "run", "--crash", "--json", "--crash-env", "-o",
                    str(out), "--", program(EXE), "plain"], cwd=tmp_path,
                   env=env, stdout=subprocess.DEVNULL, timeout=60,
                   preexec_fn=core_limit(0))
    c = json.loads(out.read_text())["context"]
    with_env = c["environment"]
    assert len(with_env) == 256 and c["environment_cut"] is True
    assert with_env == ["V%03d=x" % i for i in range(256)]
