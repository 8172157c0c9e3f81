"""Signals: delivery lines, deaths by signal, and ptrc run's exit status."""
import re

from conftest import (M32, attribute, check_unfinished_pairs, fixture,
                      run_traced, ticks_as_t)


@M32
def test_signal_lines(tmp_path, m32):
    done, lines = run_traced(tmp_path, [fixture("fx_signal", m32)], "-f")
    assert done.returncode == 0, done.stderr
    children = [int(p) for p in re.findall(r"^child (\d+): ", done.stdout, re.M)]
    assert done.stdout == ("got SIGUSR1\nchild %d: signal 15 core 0\n"
                           "child %d: signal 11 core 0\n" % tuple(children))
    term_child, segv_child = children
    events = attribute(lines)
    check_unfinished_pairs(events)
    main = events[0][0]

    # raise() is tgkill: SI_TKILL from the process itself.
    assert (main, "--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_TKILL, "
                  "si_pid=%d, si_uid=0} ---" % main) in events
    after = [t for p, t in events[events.index((main, next(
        t for p, t in events if t.startswith("--- SIGUSR1")))):] if p == main]
    # The handler runs right after the signal line, then rt_sigreturn.
    # (-f -o: the pid column before it moves the padding to column 40)
    assert re.sub(r"\)\s+= ", ") = ", after[1]) == \
        'write(1, "got SIGUSR1\\n", 12) = 12'
    # i386 glibc returns from a plain handler with sigreturn; the mask it
    # restores is the one raise() ran with (SIGRTMIN+5 is 39: RT_7).
    assert re.match(r"^%ssigreturn\(\{mask=\[HUP TERM RT_7\]\}\)\s+= 0$"
                    % ("" if m32 else "rt_"), after[2]), after[2]

    assert (term_child, "--- SIGTERM {si_signo=SIGTERM, si_code=SI_USER, "
                        "si_pid=%d, si_uid=0} ---" % term_child) in events
    assert (term_child, "+++ killed by SIGTERM +++") in events
    assert (segv_child, "--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, "
                        "si_addr=NULL} ---") in events
    assert (segv_child, "+++ killed by SIGSEGV +++") in events
    killed = [t for p, t in events if p == main and t.startswith("--- SIGCHLD")]
    assert [ticks_as_t(k) for k in killed] == [
        "--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_KILLED, si_pid=%d, si_uid=0, "
        "si_status=%s, si_utime=T, si_stime=T} ---" % (c, s)
        for c, s in ((term_child, "SIGTERM"), (segv_child, "SIGSEGV"))]
    assert events[-1] == (main, "+++ exited with 0 +++")


@M32
def test_killed_command_gives_128_plus_n(tmp_path, m32):
    done, lines = run_traced(tmp_path, [fixture("fx_signal", m32), "term"])
    assert done.returncode == 128 + 15
    assert lines[-1] == "+++ killed by SIGTERM +++"
    assert re.match(r"^--- SIGTERM \{si_signo=SIGTERM, si_code=SI_USER, si_pid=\d+, "
                    r"si_uid=0\} ---$", lines[-2])
    done, lines = run_traced(tmp_path, [fixture("fx_signal", m32), "segv"])
    assert done.returncode == 128 + 11
    assert lines[-2:] == ["--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=NULL} ---",
                          "+++ killed by SIGSEGV +++"]


def test_core_dump_is_reported_as_the_kernel_reports_it(tmp_path):
    """With core dumps allowed the child's death says "(core dumped)"
    exactly when wait4 saw WCOREDUMP (core_pattern decides whether a core
    is written at all)."""
    cores = tmp_path / "cores"
    cores.mkdir()
    done, lines = run_traced(tmp_path, [fixture("fx_signal"), "segv-core", str(cores)], "-f")
    assert done.returncode == 0, done.stderr
    m = re.match(r"^child (\d+): signal 11 core ([01])$", done.stdout.strip())
    assert m, done.stdout
    child, core = int(m.group(1)), m.group(2) == "1"
    events = attribute(lines)
    expected = "+++ killed by SIGSEGV (core dumped) +++" if core else "+++ killed by SIGSEGV +++"
    assert (child, expected) in events
