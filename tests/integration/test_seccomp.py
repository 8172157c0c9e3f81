"""ptrc run -f -e trace=SET filters the untraced syscalls out in the
kernel with seccomp-bpf: the command runs under a filter, only the traced
calls appear, and they are decoded as usual, for x86_64 and i386 programs.
Without -f there is no filter: a child nobody traces would get ENOSYS from
the traced calls."""
from conftest import M32, fixture, run_traced, syscalls, unprefixed


def seccomp_mode(tmp_path, *options):
    """The Seccomp: line the traced command sees in its own status."""
    done, lines = run_traced(tmp_path, ["grep", "^Seccomp:", "/proc/self/status"],
                             "-f", "-e", "trace=write", *options)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()[1], lines


def test_filter_is_installed_for_a_trace_set(tmp_path):
    mode, lines = seccomp_mode(tmp_path)
    assert mode == "2"  # SECCOMP_MODE_FILTER
    names = {c["name"] for c in syscalls(lines)}
    assert names == {"write"}, lines
    assert unprefixed(lines[-1]) == "+++ exited with 0 +++"


def test_no_seccomp_option_and_full_trace_have_no_filter(tmp_path):
    mode, lines = seccomp_mode(tmp_path, "--no-seccomp")
    assert mode == "0"
    assert {c["name"] for c in syscalls(lines)} == {"write"}
    done, _ = run_traced(tmp_path, ["grep", "^Seccomp:", "/proc/self/status"])
    assert done.stdout.split()[1] == "0"
    done, _ = run_traced(tmp_path, ["grep", "^Seccomp:", "/proc/self/status"],
                         "-e", "trace=write")
    assert done.stdout.split()[1] == "0"  # no -f


@M32
def test_filtered_calls_are_complete(tmp_path, m32):
    prog = fixture("fx_basic", m32)
    done, lines = run_traced(tmp_path, [prog, "5", str(tmp_path)],
                             "-f", "-e", "trace=openat,write")
    assert done.returncode == 5, done.stderr
    calls = syscalls(lines)
    assert {c["name"] for c in calls} == {"openat", "write"}, lines
    hello = [c for c in calls if c["name"] == "write" and c["args"].startswith('1, "hello')]
    assert len(hello) == 1 and hello[0]["ret"] == "20"
    missing = [c for c in calls if '"/nonexistent/ptrc-fixture"' in c["args"]]
    assert missing and missing[0]["ret"].startswith("-1 ENOENT")


def test_children_keep_their_syscalls(tmp_path):
    """fx_signal's children kill themselves (SIGTERM) and segfault. Without
    -f they are not traced: with a filter inherited and no tracer, their
    kill() would fail with ENOSYS and the parent would wait for good."""
    prog = fixture("fx_signal")
    for follow in ([], ["-f"]):
        done, lines = run_traced(tmp_path, [prog, "all"], *follow,
                                 "-e", "trace=kill,tgkill", timeout=30)
        assert done.returncode == 0, (follow, done.stdout, done.stderr)
        assert "child" in done.stdout and "signal 15" in done.stdout
        kills = [c for c in syscalls(lines) if c["name"] == "kill"]
        assert len(kills) == (1 if follow else 0), (follow, lines)
