"""-e inject= and -e fault=: the expressions strace 6.1 accepts, what the
tracee sees, and the paths the differential corpus does not take (the
register fallback, seccomp, --json, -c). The output itself is compared
with strace's in tests/differential/corpus.txt (fx_inject)."""
import json
import shutil
import subprocess

import pytest

from conftest import fixture, ptrc, run_traced, syscalls, unprefixed

STRACE = shutil.which("strace")

ACCEPTED = [
    "inject=getpid:error=ENOENT", "inject=getpid:error=enoent",
    "inject=getpid:error=2", "inject=getpid:error=4095",
    "inject=getpid:retval=0x10", "inject=getpid:retval=0",
    "inject=getpid:retval=18446744073709551615", "inject=getpid:retval=-1",
    "inject=getpid:signal=SIGUSR1", "inject=getpid:signal=usr1",
    "inject=getpid:signal=sigusr1", "inject=getpid:signal=10",
    "inject=getpid:signal=64", "inject=getpid:signal=rtmin",
    "inject=getpid:delay_enter=5", "inject=getpid:delay_exit=1.5ms",
    "inject=getpid:delay_enter=7ns:delay_exit=3us",
    "inject=getpid:error=EPERM:when=3", "inject=getpid:error=EPERM:when=3+",
    "inject=getpid:error=EPERM:when=3+2", "inject=getpid:error=EPERM:when=2..4",
    "inject=getpid:error=EPERM:when=2..4+2", "inject=getpid:error=EPERM:when=2..2",
    "inject=getpid:error=EPERM:when=65535",
    "fault=getpid", "fault=getpid:error=EPERM", "fault=getpid:when=2+",
    "inject=getpid,getppid:retval=1", "inject=%pure:retval=1",
    "inject=/^getp:error=EPERM", "inject=getpid:error=EPERM:syscall=gettid",
    "inject=rmdir:retval=0:syscall=getuid", "fault=rmdir:syscall=getpid",
    "inject=getpid:signal=usr1:error=EPERM:delay_exit=1",
    "inject=none:error=EPERM", "inject=getpid:error=EPERM::when=2",
]

REFUSED = [
    "inject=getpid", "inject=getpid:when=2", "inject=getpid:error=",
    "inject=getpid:error=0", "inject=getpid:error=4096",
    "inject=getpid:error=ENOPE",
    "inject=getpid:retval=x", "inject=getpid:retval=1:error=EPERM",
    "inject=getpid:error=EPERM:retval=1", "inject=getpid:error=1:error=2",
    "inject=getpid:signal=0", "inject=getpid:signal=65",
    "inject=getpid:signal=SIGNOPE", "inject=getpid:signal=usr1:signal=usr2",
    "inject=getpid:error=EPERM:when=0", "inject=getpid:error=EPERM:when=3..2",
    "inject=getpid:error=EPERM:when=2.3", "inject=getpid:error=EPERM:when=65536",
    "inject=getpid:error=EPERM:when=1+0", "inject=getpid:error=EPERM:when=2..65535",
    "inject=getpid:error=EPERM:when=x", "inject=getpid:error=EPERM:when=2+x",
    "inject=getpid:error=EPERM:syscall=read",
    "inject=getpid:error=EPERM:syscall=nosuchcall",
    "inject=getpid:error=EPERM:syscall=getpid:syscall=gettid",
    "fault=getpid:retval=1", "fault=getpid:signal=usr1",
    "fault=getpid:delay_enter=1", "inject=nosuchcall:error=EPERM",
    "inject=:error=EPERM", "inject=", "fault=",
    "inject=getpid:delay_enter=x", "inject=getpid:delay_enter=1h",
    "inject=getpid:delay_enter=1:delay_enter=2",
    "inject=getpid:error=EPERM:bogus=1", "inject=getpid:error=EPERM:when",
]


@pytest.mark.parametrize("expr", ACCEPTED + REFUSED)
def test_accepts_what_strace_accepts(tmp_path, expr):
    done, _ = run_traced(tmp_path, ["/bin/true"], "-e", expr)
    assert (done.returncode == 0) == (expr in ACCEPTED), done.stderr
    if expr in REFUSED:
        assert done.returncode == 64
        assert done.stderr.count("\n") >= 1 and "invalid" in done.stderr
    if STRACE:
        theirs = subprocess.run([STRACE, "-o", "/dev/null", "-e", expr,
                                 "/bin/true"], capture_output=True)
        assert (theirs.returncode == 0) == (done.returncode == 0), \
            theirs.stderr


def test_poke_is_refused_by_name(tmp_path):
    done, _ = run_traced(tmp_path, ["/bin/true"],
                         "-e", "inject=getpid:poke_enter=@arg1=00")
    assert done.returncode == 64
    assert "poke_enter= is not implemented" in done.stderr


@pytest.mark.parametrize("fallback", [False, True], ids=["syscall_info", "registers"])
def test_the_tracee_sees_the_injected_outcome(tmp_path, fallback):
    env = {"PATH": "/usr/bin:/bin"}
    if fallback:
        env["PTRC_NO_SYSCALL_INFO"] = "1"
    script = "cd / || exit 7; umask; exit 0"
    done = ptrc("run", "-o", str(tmp_path / "t"), "-e", "trace=chdir,umask",
                "-e", "inject=chdir:error=EACCES",
                "-e", "inject=umask:retval=0123",
                "--", "/bin/sh", "-c", script, env=env)
    assert done.returncode == 7, done.stderr
    lines = (tmp_path / "t").read_text().splitlines()
    chdir = syscalls(lines, "chdir")
    assert chdir and chdir[0]["ret"] == \
        "-1 EACCES (Permission denied) (INJECTED)"
    # The shell went on past the failed cd (exit 7), never reaching umask.
    assert not syscalls(lines, "umask")
    done = ptrc("run", "-o", str(tmp_path / "u"), "-e", "trace=umask",
                "-e", "inject=umask:retval=0123:when=1",
                "--", "/bin/sh", "-c", "umask", env=env)
    assert done.returncode == 0, done.stderr
    # dash and bash print the mask the umask() call returned.
    assert done.stdout.strip() in ("0123", "123"), done.stdout


def test_signal_under_seccomp_is_delivered(tmp_path):
    # run -f -e trace= stops at seccomp stops, from which a signal given on
    # resuming is dropped by the kernel: ptrc traces without seccomp then.
    done, lines = run_traced(tmp_path, [fixture("fx_inject")], "-f",
                             "-e", "trace=sched_yield",
                             "-e", "inject=sched_yield:signal=usr1")
    assert done.returncode == 0, done.stderr
    assert "--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_KERNEL} ---" in \
        map(unprefixed, lines)


def test_json_marks_injected_and_delayed_calls(tmp_path):
    done, lines = run_traced(tmp_path, [fixture("fx_inject")], "--json",
                             "-e", "trace=getpgrp,getsid",
                             "-e", "inject=getpgrp:retval=42:when=2",
                             "-e", "inject=getsid:delay_exit=1ms")
    assert done.returncode == 0, done.stderr
    events = [json.loads(l) for l in lines]
    pgrp = [e for e in events if e.get("syscall") == "getpgrp"]
    assert [e["return"] for e in pgrp[:3]][1] == 42
    assert [bool(e.get("injected")) for e in pgrp[:4]] == [False, True, False, False]
    sid = [e for e in events if e.get("syscall") == "getsid"]
    assert sid and all(e.get("delayed") is True for e in sid)
    assert not any("injected" in e for e in sid)


def test_summary_counts_injected_errors(tmp_path):
    done, lines = run_traced(tmp_path, [fixture("fx_inject")], "-c",
                             "-e", "trace=chdir",
                             "-e", "inject=chdir:error=ENOENT:when=2+2")
    assert done.returncode == 0, done.stderr
    row = [l.split() for l in lines if l.endswith(" chdir")]
    assert row and row[0][3:5] == ["5", "2"], lines
