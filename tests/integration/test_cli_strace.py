"""strace 6.1's command line: -ff and --output-separately, -A, -o '|CMD',
-c's counts, the line prefixes (-t, -tt, -ttt, --absolute-timestamps=, -r,
-T's precision, -n, -i, -Y, -a), and the options ptrc refuses. Where strace is
installed, each is compared with what strace does with the same option."""
import os
import re
import shutil
import subprocess
import time

import pytest

from conftest import PTRC, fixture, ptrc

STRACE = shutil.which("strace")
needs_strace = pytest.mark.skipif(not STRACE, reason="strace is not installed")
NOT_IMPLEMENTED, USAGE = 69, 64


def strace(*args, timeout=60):
    """strace ARGS, the command's stdout thrown away, stderr kept."""
    return subprocess.run([STRACE, *args], stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True, errors="replace",
                          timeout=timeout)


def ptrc_run(*args, timeout=60):
    """ptrc run ARGS, the command's stdout thrown away, stderr kept."""
    return subprocess.run([PTRC, "run", *args], stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True, errors="replace",
                          timeout=timeout)


ADDRESS = re.compile(r"0x[0-9a-f]{6,}")


def separate_files(directory, base):
    """{pid: lines} of the BASE.PID files in DIRECTORY."""
    found = {}
    for name in os.listdir(directory):
        m = re.fullmatch(re.escape(base) + r"\.(\d+)", name)
        assert m, "unexpected file %s" % name
        with open(os.path.join(directory, name), errors="replace") as f:
            found[int(m.group(1))] = f.read().splitlines()
    return found


def child_file(files):
    """The lines of the forked child's file: the one that exits 7."""
    (lines,) = [l for l in files.values() if l and l[-1] == "+++ exited with 7 +++"]
    return [ADDRESS.sub("0xADDR", l) for l in lines]


@needs_strace
@pytest.mark.parametrize("options", [
    ["-ff"], ["--follow-forks", "--output-separately"],
])
def test_output_separately_like_strace(tmp_path, options):
    """One file per process, FILE.PID, no pid prefixes: fx_fork's parent,
    its forked child and its vfork child (which execs /bin/true)."""
    mine, theirs = tmp_path / "ptrc", tmp_path / "strace"
    mine.mkdir()
    theirs.mkdir()
    done = ptrc_run("-o", str(mine / "t"), *options, "--", fixture("fx_fork"))
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    strace("-o", str(theirs / "t"), *options, fixture("fx_fork"))
    ours, straces = separate_files(mine, "t"), separate_files(theirs, "t")
    assert len(ours) == len(straces) == 3
    assert sorted(l[-1] for l in ours.values()) == \
        sorted(l[-1] for l in straces.values())
    for lines in ours.values():
        assert not any(l.startswith("[pid") for l in lines), lines
    assert child_file(ours) == child_file(straces)


@needs_strace
def test_f_output_separately_is_one_file_as_strace(tmp_path):
    """strace 6.1 quirk, kept: -f makes it ignore --output-separately."""
    for tracer in (ptrc_run, strace):
        out = tmp_path / tracer.__name__
        tracer("-f", "--output-separately", "-o", str(out), "--",
               fixture("fx_fork"))
        assert out.exists()
        assert not list(tmp_path.glob(tracer.__name__ + ".*"))


def test_ff_without_o_is_f(tmp_path):
    """As strace: -ff without -o is -f (one stderr, [pid N] prefixes)."""
    done = ptrc_run("-ff", "--", fixture("fx_fork"))
    assert done.returncode == 0
    assert re.search(r"^\[pid +\d+\] write\(1, \"child says hi\\n\", 14\)",
                     done.stderr, re.M), done.stderr
    assert os.listdir(tmp_path) == []


def test_output_separately_cannot_open(tmp_path):
    done = ptrc_run("-ff", "-o", str(tmp_path / "none" / "t"), "--", "/bin/true")
    assert done.returncode == 73, done.stderr
    assert "none/t." in done.stderr


@pytest.mark.parametrize("separately", [False, True])
def test_append(tmp_path, separately):
    out = tmp_path / "t"
    options = ["-A", "-o", str(out)] + (["-ff"] if separately else [])
    first = ptrc_run(*options, "--", "/bin/true")
    second = ptrc_run(*options, "--output-append-mode", "--", "/bin/true")
    assert first.returncode == second.returncode == 0
    files = [p for p in tmp_path.iterdir()]
    text = "".join(p.read_text() for p in files)
    assert text.count("+++ exited with 0 +++") == 2
    assert len(files) == (2 if separately else 1)
    # without -A the file is replaced
    ptrc_run("-o", str(out), "--", "/bin/true")
    if not separately:
        assert out.read_text().count("+++ exited with 0 +++") == 1


@pytest.mark.parametrize("mark", ["|", "!"])
def test_output_to_a_pipe(tmp_path, mark):
    """-o '|CMD': CMD reads the trace, and has read all of it when ptrc
    returns (strace waits for it too)."""
    out = tmp_path / "piped"
    done = ptrc_run("-o", "%scat > '%s'" % (mark, out), "-e", "trace=write",
                    "--", fixture("fx_fork"))
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / ("%scat" % mark)).exists()
    lines = out.read_text().splitlines()
    assert lines[0].startswith('write(1, "parent done') or \
        'write(1, "parent done\\n", 12)' in "\n".join(lines)
    assert lines[-1] == "+++ exited with 0 +++"


def summary_counts(text):
    """{syscall: calls} of a -c table."""
    counts = {}
    for line in text.splitlines():
        f = line.split()
        if len(f) >= 5 and re.fullmatch(r"\d+\.\d+", f[0]) and f[-1] != "total":
            counts[f[-1]] = int(f[3])
    return counts


@needs_strace
@pytest.mark.parametrize("follow", [[], ["-f"]])
def test_summary_counts_like_strace(follow):
    """-c counts a call at its return, as strace: exit_group, which never
    returns, is not counted."""
    mine = ptrc_run("-c", *follow, "--", fixture("fx_fork"))
    theirs = strace("-c", *follow, fixture("fx_fork"))
    assert mine.returncode == 0, mine.stderr
    ours, straces = summary_counts(mine.stderr), summary_counts(theirs.stderr)
    assert "exit_group" not in ours and "exit_group" not in straces
    assert ours == straces, (mine.stderr, theirs.stderr)


# ---- line prefixes, compared with strace's on fx_fork with -f --------

CALL_START = re.compile(r"[a-z_][a-z0-9_]*\(|--- |\+\+\+ |<\.\.\. ")
DURATION = re.compile(r" <\d+(\.\d+)?>$")


def shapes(stderr):
    """The prefixes and -T suffixes of the trace's lines, digits as D, and
    the child's write line in full (prefix digits as D)."""
    found, child = set(), []
    for line in stderr.splitlines():
        if line.startswith(("strace: ", "ptrc: ")) or line.endswith(
                "<unfinished ...>"):
            continue
        m = CALL_START.search(line)
        if not m:
            continue
        # -i: the address as its width ("[????????????????]" kept)
        prefix = re.sub(r"\[([0-9a-f]{8}|[0-9a-f]{16})\] ",
                        lambda a: "[%d hex] " % (len(a.group(0)) - 3),
                        line[:m.start()])
        prefix = re.sub(r"\d", "D", prefix)
        # pids are as wide as they come out ("%5d" either way)
        prefix = re.sub(r"\[pid +D+", "[pid N", prefix)
        if m.group(0) in ("--- ", "+++ "):
            # -n on a signal or exit line: the thread's last syscall
            # stop, which depends on where each tracer stops (strace
            # stops at execve under --seccomp-bpf, ptrc run does not)
            prefix = re.sub(r"\[ *D+\] ", "[N] ", prefix)
        d = DURATION.search(line)
        found.add((prefix, re.sub(r"\d", "D", d.group(0)) if d else ""))
        if "child says hi" in line:
            rest = DURATION.sub("", line[m.start():])
            child.append(prefix + rest)
    return found, child


@needs_strace
@pytest.mark.parametrize("options", [
    ["-t"], ["-tt"], ["-ttt"], ["-r"], ["-t", "-r"], ["-tt", "-r"],
    ["--absolute-timestamps"], ["--absolute-timestamps=unix,ms"],
    ["--absolute-timestamps=format:time,precision:ns"],
    ["--absolute-timestamps=precision:ms"], ["--timestamps=unix"],
    ["--absolute-timestamps=none", "-r"],
    ["--relative-timestamps=ms"], ["--relative-timestamps=s"],
    ["-T"], ["--syscall-times=ns"], ["--syscall-times=s"], ["-T", "--syscall-times=ms"],
    ["-n"], ["--syscall-number"], ["-n", "-tt", "-r"],
    ["-i"], ["--instruction-pointer"], ["-i", "-n", "-t", "-Y"],
    ["-Y"], ["--decode-pids=comm"], ["-Y", "-tt", "-n"],
    ["-a", "20"], ["--columns=60"], ["-a", "0"],
], ids=lambda o: " ".join(o))
def test_prefix_forms_like_strace(options):
    # only write: no line is left unfinished while the child writes
    mine = ptrc_run("-f", "-e", "trace=write", *options, "--",
                    fixture("fx_fork"))
    # --seccomp-bpf: strace stops only at write, as ptrc run does, so
    # -n shows the same last syscall on signal and exit lines
    theirs = strace("-f", "--seccomp-bpf", "-e", "trace=write", *options,
                    fixture("fx_fork"))
    assert mine.returncode == 0, mine.stderr
    ours, straces = shapes(mine.stderr), shapes(theirs.stderr)
    assert ours[1] and ours[1] == straces[1]
    assert ours[0] == straces[0], (sorted(ours[0] - straces[0]),
                                   sorted(straces[0] - ours[0]))


def test_absolute_timestamps_are_the_clock(tmp_path):
    """-ttt: seconds since the epoch, and -t the local time of day."""
    before = time.time()
    done = ptrc_run("-ttt", "-e", "trace=write", "--", fixture("fx_fork"))
    after = time.time()
    stamps = [float(m.group(1)) for m in
              re.finditer(r"^(?:\[pid +\d+\] )?(\d+\.\d{6}) ", done.stderr, re.M)]
    assert stamps and all(before - 1 <= s <= after + 1 for s in stamps)
    assert stamps == sorted(stamps)


# ---- what ptrc refuses ------------------------------------------------

# Every short option of strace 6.1 (its getopt string
# "+a:Ab:cCdDe:E:fFhiI:kno:O:p:P:qrs:S:tTu:U:vVwxX:yYzZ") and every long
# one, each with an argument strace takes.
STRACE_SHORT = {
    "a": "40", "A": None, "b": "execve", "c": None, "C": None, "d": None,
    "D": None, "e": "trace=write", "E": "X=1", "f": None, "F": None,
    "h": None, "i": None, "I": "1", "k": None, "n": None, "o": "FILE",
    "O": "1", "P": "/", "q": None, "r": None, "s": "10", "S": "calls",
    "t": None, "T": None, "u": "nobody", "U": "calls", "v": None,
    "V": None, "w": None, "x": None, "X": "raw", "y": None, "Y": None,
    "z": None, "Z": None,
}
STRACE_LONG = [
    "--columns=40", "--output-append-mode", "--detach-on=execve",
    "--summary-only", "--summary", "--debug", "--daemonize",
    "--daemonised", "--daemonized", "--env=X=1", "--follow-forks",
    "--output-separately", "--help", "--instruction-pointer",
    "--interruptible=1", "--stack-traces", "--syscall-number",
    "--output=FILE", "--summary-syscall-overhead=1", "--trace-path=/",
    "--relative-timestamps", "--string-limit=10", "--summary-sort-by=calls",
    "--absolute-timestamps", "--timestamps", "--syscall-times",
    "--user=nobody", "--summary-columns=calls", "--no-abbrev", "--version",
    "--summary-wall-clock", "--strings-in-hex", "--const-print-style=raw",
    "--pidns-translation", "--successful-only", "--failed-only",
    "--failing-only", "--seccomp-bpf", "--tips", "--trace=write",
    "--abbrev=all", "--verbose=all", "--raw=all", "--signals=all",
    "--status=all", "--read=1", "--write=1", "--fault=write",
    "--inject=write:error=EIO", "--kvm=vcpu", "--quiet", "--silent",
    "--silence", "--decode-fds", "--decode-pids=comm", "--secontext",
    "--decode-pids=pidns", "--strings-in-hex=non-ascii-chars",
]


# What strace refuses without -c or -C (as ptrc does: test_summary_table.py)
NEEDS_SUMMARY = {"-w", "--summary-wall-clock", "-U", "--summary-columns"}


def strace_option_cases():
    cases = []
    for letter, arg in STRACE_SHORT.items():
        cases.append(["-" + letter] + ([arg] if arg else []))
    cases += [[word] for word in STRACE_LONG]
    return cases


@pytest.mark.parametrize("option", strace_option_cases(), ids=lambda o: " ".join(o))
def test_every_strace_option_implemented_or_refused(tmp_path, option):
    """An option of strace's either works or is refused as not implemented
    (exit 69, one line): never unknown, never taken as something else."""
    option = [a.replace("FILE", str(tmp_path / "out")) for a in option]
    if option[0].split("=")[0] in NEEDS_SUMMARY:
        option = ["-c"] + option
    done = ptrc("run", *option, "--", "/bin/true", cwd=tmp_path)
    if done.returncode == NOT_IMPLEMENTED:
        assert done.stderr.count("\n") == 1, done.stderr
        assert done.stderr.startswith("ptrc: ")
        assert "is not implemented in ptrc" in done.stderr
        word = option[0].split("=")[0]
        assert word.lstrip("-")[:3] in done.stderr, done.stderr
        return
    assert "unknown option" not in done.stderr
    assert done.returncode == 0, (done.returncode, done.stderr)


def test_attach_takes_strace_p(background):
    """ptrc attach -p PID / --attach=PID, as strace -p."""
    sleeper = subprocess.Popen(["/bin/sleep", "30"])
    try:
        tracer = subprocess.Popen([PTRC, "attach", "-p", str(sleeper.pid)],
                                  stderr=subprocess.PIPE, text=True)
        time.sleep(0.5)
        sleeper.kill()
        assert tracer.wait(timeout=20) == 0
        assert "+++ killed by SIGKILL +++" in tracer.stderr.read()
    finally:
        sleeper.kill()
        sleeper.wait()


@pytest.mark.parametrize("option", [
    ["-f"], ["-tt"], ["-T"], ["-c"], ["-y"], ["-e", "trace=write"],
    ["-s", "5"], ["--crash"], ["-ff"], ["-k"], ["--follow-forks"],
])
def test_stack_refuses_trace_options(option):
    done = ptrc("stack", *option, "1")
    assert done.returncode == USAGE
    word = option[0] if option[0].startswith("--") else option[0][:2]
    assert done.stderr.startswith("ptrc: ptrc stack takes only -o, -A, -p, --json, "
                                  "--unwinder, --values, --locals, --core and --exe; " + word +
                                  " is for run and attach"), done.stderr


def test_stack_takes_p():
    """ptrc stack -p PID, as attach -p PID."""
    sleeper = subprocess.Popen(["/bin/sleep", "30"])
    try:
        done = ptrc("stack", "-p", str(sleeper.pid))
        assert done.returncode in (0, 1), done.stderr
        assert done.stdout.startswith("PID %d - process\n" % sleeper.pid)
    finally:
        sleeper.kill()
        sleeper.wait()


@pytest.mark.parametrize("option", [
    ["-tt"], ["-T"], ["-e", "trace=write"], ["-c"], ["-y"], ["-s", "5"],
    ["-k"], ["-n"], ["-x"], ["--no-seccomp"],
])
def test_crash_refuses_trace_options(option):
    """--crash prints no syscall line: an option of the trace would be
    silently ignored, so it is refused (before or after --crash)."""
    for args in (["--crash", *option], [*option, "--crash"]):
        done = ptrc("run", *args, "/bin/true")
        assert done.returncode == USAGE, done.stderr
        assert done.stderr.startswith(
            "ptrc: --crash writes crash reports, not the syscall trace: "
            + (option[0] if option[0].startswith("--") else option[0][:2])
            + " is not for it"), done.stderr
    done = ptrc("run", "--crash", "-ff", "-o", "x", "/bin/true")
    assert done.returncode == USAGE and "-ff" in done.stderr


def test_messages_name_the_problem():
    assert "the command comes first" in ptrc("-qq", "run", "/bin/true").stderr
    assert "run, attach, stack, triage or report" in ptrc().stderr
    assert "unknown option '-Q'" in ptrc("run", "-fQ", "/bin/true").stderr
    done = ptrc("run", "-fD", "/bin/true")
    assert done.stderr.startswith("ptrc: -D ") and done.returncode == 69
    assert "stack needs at least one PID" in ptrc("stack").stderr
    assert "attach needs at least one PID" in ptrc("attach").stderr


def test_abbreviations():
    """getopt's abbreviations: of one option, it; of several of ptrc's,
    ambiguous (not one of strace's that starts alike); of one of strace's
    that ptrc lacks, that one."""
    done = ptrc("run", "--syscall-n", "-e", "trace=write", "/bin/echo")
    assert re.search(r"^\[   1\] write", done.stderr, re.M), done.stderr
    done = ptrc("run", "--sum", "/bin/true")
    assert done.returncode == USAGE
    assert "ambiguous or unknown option '--sum'" in done.stderr
    done = ptrc("run", "--daem", "/bin/true")
    assert done.returncode == NOT_IMPLEMENTED
    assert done.stderr.startswith("ptrc: --daemonize ")


def test_help_lists_each_option_once():
    text = ptrc("--help").stdout
    for word in ("-o FILE,", "-A,", "-ff,", "-ttt", "--absolute-timestamps",
                 "-r,", "-T,", "-n,", "-Y,", "-a N", "--on-crash=deliver|hold",
                 "ptrc stack"):
        assert word in text, word
    assert len(re.findall(r"^  -o ", text, re.M)) == 1
