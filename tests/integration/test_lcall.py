"""Library-call tracing: `ptrc run|attach -l PATTERN[,PATTERN...] [-L MODULE]`.

Fixtures (fixtures/meson.build, x86_64 only): liblcfix.so and lc_main,
built four ways (plain, IBT with .plt.sec, -fno-plt, -z now; each lc_main
linked with the library built the same way), lc_threads (8 threads calling
lcfix_add), lc_dlopen (dlopen()s liblcfix_dl.so after the go). lc_main's
known sequence, for one "go" line on stdin (fixtures/lc_main.c):

    lcfix_add(2, 3), lcfix_echo("hello"), lcfix_fill(buf, 8),
    lcfix_outer(5) -> lcfix_add(5, 1),
    lcfix_nest(2) -> lcfix_nest(1) -> lcfix_nest(0) -> lcfix_add(0, 1),
    lcfix_add(i, i) for i < N

lcfix_add, lcfix_echo and lcfix_fill have prototypes in ptrc; lcfix_outer
and lcfix_nest do not, so their six argument registers print in hex.

The fixtures are idle between their stdin lines, so that a test can attach,
see the breakpoints appear in the library's text (the way it knows ptrc is
ready), detach and compare the text pages with what they were before.
"""
import json
import os
import platform
import re
import signal
import subprocess
import time

import pytest

from conftest import (FIXTURES, I386, PTRC, fixture, proc_state, read_lines,
                      split_pid, start_attach, tasks_of, tracer_of, unprefixed,
                      wait_for)

pytestmark = pytest.mark.skipif(platform.machine() != "x86_64",
                                reason="the lcfix fixtures are x86_64 only")

USAGE = 64
VARIANTS = ["", "_ibt", "_noplt", "_now"]
VARIANT_IDS = ["plain", "ibt", "noplt", "now"]
FUNCS = ["lcfix_add", "lcfix_echo", "lcfix_fill", "lcfix_outer", "lcfix_nest"]
# The five argument registers after the first of a call without prototype.
RAW = r"(?:, (?:0|0x[0-9a-f]+)){5}"
THREADS = 8

# Library-call lines (a -tt time and a pid prefix taken off first).
LC_COMPLETE = re.compile(
    r"^(?P<indent> *)(?P<name>\w+)@(?P<module>[^(\s]+)\((?P<args>.*)\) += "
    r"(?P<ret>\S+)(?: <(?P<time>\d+\.\d{6})>)?$")
LC_UNFINISHED = re.compile(
    r"^(?P<indent> *)(?P<name>\w+)@(?P<module>[^(\s]+)\((?P<args>.*) "
    r"<(?:unfinished|detached) \.\.\.>$")
LC_RESUMED = re.compile(
    r"^(?P<indent> *)<\.\.\. (?P<name>\w+) resumed>(?P<args>.*)\) += "
    r"(?P<ret>\S+)(?: <(?P<time>\d+\.\d{6})>)?$")
WALL_TIME = re.compile(r"^(?P<time>\d\d:\d\d:\d\d\.\d{6}) (?P<text>.*)$")
EXIT_LINE = "+++ exited with 0 +++"


def lib(variant=""):
    return "liblcfix%s.so" % variant


def expected_sum(n):
    """lc_main's "sum S": 5 + strlen("hello") + 8 + 12 + 3 + sum of 2i."""
    return 33 + n * (n - 1)


def sequence(module, n, main=True, internal=True):
    """Full-line regexes of lc_main's known sequence as ptrc prints it.
    MAIN: the calls lc_main makes; INTERNAL: those the library makes
    (lcfix_outer's lcfix_add, lcfix_nest's own calls)."""
    m = re.escape(module)

    def call(name, args, ret, indent=0):
        return " " * indent + re.escape(name) + "@" + m + r"\(" + args + r"\) = " + \
            re.escape(ret)

    def unfinished(name, args, indent=0):
        return " " * indent + re.escape(name) + "@" + m + r"\(" + args + \
            re.escape(" <unfinished ...>")

    def resumed(name, ret, indent=0):
        return " " * indent + re.escape("<... %s resumed>) = %s" % (name, ret))

    lines = []
    if main:
        lines += [call("lcfix_add", "2, 3", "5"),
                  call("lcfix_echo", re.escape('"hello"'), '"hello"'),
                  call("lcfix_fill", re.escape('"abcdefgh", 8'), "8")]
    if main and internal:
        lines += [unfinished("lcfix_outer", "0x5" + RAW),
                  call("lcfix_add", "5, 1", "6", 2),
                  resumed("lcfix_outer", "0xc"),
                  unfinished("lcfix_nest", "0x2" + RAW),
                  unfinished("lcfix_nest", "0x1" + RAW, 2),
                  unfinished("lcfix_nest", "0" + RAW, 4),
                  call("lcfix_add", "0, 1", "1", 6),
                  resumed("lcfix_nest", "0x1", 4),
                  resumed("lcfix_nest", "0x2", 2),
                  resumed("lcfix_nest", "0x3")]
    elif main:
        lines += [call("lcfix_outer", "0x5" + RAW, "0xc"),
                  call("lcfix_nest", "0x2" + RAW, "0x3")]
    elif internal:
        # Without the outermost calls: indentation is checked apart
        # (check_relative_indent), the lines are compared stripped.
        lines += [call("lcfix_add", "5, 1", "6"),
                  unfinished("lcfix_nest", "0x1" + RAW),
                  unfinished("lcfix_nest", "0" + RAW),
                  call("lcfix_add", "0, 1", "1"),
                  resumed("lcfix_nest", "0x1"),
                  resumed("lcfix_nest", "0x2")]
    if main:
        lines += [call("lcfix_add", "%d, %d" % (i, i), str(2 * i)) for i in range(n)]
    return lines


def unpadded(line):
    """LINE with the padding before its return value (ptrc aligns " = " at
    column 40, as strace does) cut to one space."""
    return re.sub(r"\) +(= (?:(?!\) += ).)*)$", r") \1", line)


def assert_lines(lines, patterns, what="trace"):
    """LINES match PATTERNS one to one (full-line regexes), the padding
    before return values aside."""
    lines = [unpadded(l) for l in lines]
    shown = "\n".join(lines)
    assert len(lines) == len(patterns), "%s: %d lines, %d expected:\n%s\nexpected:\n%s" % (
        what, len(lines), len(patterns), shown, "\n".join(patterns))
    for i, (line, pattern) in enumerate(zip(lines, patterns)):
        assert re.fullmatch(pattern, line), "%s line %d: %r does not match %r\n%s" % (
            what, i + 1, line, pattern, shown)


def without_exit_line(lines):
    """A `ptrc run` trace may end with the command's exit line (after a
    -tt time)."""
    if lines and re.fullmatch(r"(\d\d:\d\d:\d\d\.\d{6} )?" + re.escape(EXIT_LINE),
                              lines[-1]):
        return lines[:-1]
    return lines


def check_relative_indent(lines):
    """Each line nested in an unfinished call of the same thread is
    indented two spaces more than it; a resumed line as its call."""
    stack = []
    for line in lines:
        indent = len(line) - len(line.lstrip(" "))
        if LC_RESUMED.match(line):
            assert stack, "resumed without unfinished: %r" % line
            assert indent == stack.pop(), "resumed line indented unlike its call: %r\n%s" % (
                line, "\n".join(lines))
            continue
        if stack:
            assert indent == stack[-1] + 2, "nested line not indented 2 more: %r\n%s" % (
                line, "\n".join(lines))
        if LC_UNFINISHED.match(line):
            stack.append(indent)
    assert not stack, "calls left unfinished:\n%s" % "\n".join(lines)


# ---------------------------------------------------------------------------
# Processes, memory

def run_lcall(tmp_path, argv, *options, stdin="go\nquit\n", timeout=60):
    """`ptrc run -o FILE OPTIONS -- ARGV` with STDIN; (completed, lines)."""
    out = tmp_path / "trace.txt"
    done = subprocess.run([PTRC, "run", "-o", str(out), *options, "--", *argv],
                          input=stdin, capture_output=True, text=True,
                          errors="replace", timeout=timeout)
    return done, read_lines(out)


class Fixture:
    """An lc_* fixture started with pipes; it has printed "ready PID"."""

    def __init__(self, background, argv):
        self.bg = background(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
        self.proc = self.bg.proc
        self.pid = self.bg.pid
        assert self.proc.stdout.readline() == "ready %d\n" % self.pid

    def send(self, line):
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def go(self, n):
        """One run of lc_main's sequence; asserts its sum."""
        self.send("go")
        assert self.proc.stdout.readline() == "sum %d\n" % expected_sum(n), \
            self.proc.stderr.read() if self.proc.poll() is not None else ""

    def finish(self, line=None):
        """Sends LINE (or closes stdin); the fixture must exit 0. Returns
        the rest of its output."""
        if line is not None:
            self.send(line)
        self.proc.stdin.close()
        assert self.proc.wait(timeout=60) == 0, self.proc.stderr.read()
        return self.proc.stdout.read()


def maps(pid):
    """(start, end, perms, offset, path) of PID's mappings."""
    found = []
    with open("/proc/%d/maps" % pid) as f:
        for line in f:
            fields = line.split(None, 5)
            start, end = (int(x, 16) for x in fields[0].split("-"))
            path = fields[5].strip() if len(fields) > 5 else ""
            found.append((start, end, fields[1], int(fields[2], 16), path))
    return found


def read_mem(pid, addr, length):
    with open("/proc/%d/mem" % pid, "rb", buffering=0) as f:
        f.seek(addr)
        return f.read(length)


def text_pages(pid):
    """{(path, start, end): bytes} of every file-backed executable mapping."""
    return {(path, start, end): read_mem(pid, start, end - start)
            for start, end, perms, _, path in maps(pid)
            if "x" in perms and path.startswith("/")}


def mapped_paths(pages):
    return {os.path.basename(path) for path, _, _ in pages}


def text_differences(before, after):
    """Mappings whose bytes differ (or that came or went), with the first
    differing offset."""
    diffs = []
    for key in sorted(set(before) | set(after)):
        a, b = before.get(key), after.get(key)
        if a != b:
            first = None if a is None or b is None else next(
                i for i in range(min(len(a), len(b))) if a[i] != b[i])
            diffs.append((key[0], hex(key[1]), first))
    return diffs


def symbol_value(path, name):
    """st_value of the dynamic symbol NAME of the ELF file at PATH."""
    done = subprocess.run(["nm", "-D", "--defined-only", path], capture_output=True,
                          text=True, check=True, timeout=30)
    for line in done.stdout.splitlines():
        fields = line.split()
        if len(fields) == 3 and fields[2] == name:
            return int(fields[0], 16)
    raise AssertionError("%s has no symbol %s" % (path, name))


def function_address(pid, path, name):
    """Runtime address of NAME in the library at PATH mapped by PID."""
    real = os.path.realpath(path)
    bases = [start for start, _, _, offset, p in maps(pid) if p == real and offset == 0]
    assert bases, "%s is not mapped by %d" % (real, pid)
    return bases[0] + symbol_value(real, name)


class Hooks:
    """The entry bytes of library functions in a process, to see ptrc's
    breakpoints come (ptrc is ready) and go."""

    def __init__(self, pid, path, names):
        self.pid = pid
        self.addrs = {n: function_address(pid, path, n) for n in names}
        self.original = self.now()

    def now(self):
        return {n: read_mem(self.pid, a, 16) for n, a in self.addrs.items()}

    def all_set(self):
        now = self.now()
        return all(now[n] != self.original[n] for n in self.addrs)

    def wait_set(self, tracer):
        assert wait_for(lambda: self.all_set() or tracer.proc.poll() is not None,
                        timeout=10) and tracer.proc.poll() is None, \
            "ptrc set no breakpoint on %s (ptrc %s: %s)" % (
                sorted(self.addrs), tracer.proc.poll(),
                tracer.proc.poll() is not None and tracer.proc.stderr.read())


def attach_lcall(background, tmp_path, fx, hooks_on, *options):
    """`ptrc attach -o FILE OPTIONS PID`, returning once the breakpoints on
    HOOKS_ON = (library path, [function names]) are in the text."""
    hooks = Hooks(fx.pid, *hooks_on) if hooks_on else None
    tracer, out = start_attach(background, tmp_path, fx.pid, *options)
    if hooks:
        hooks.wait_set(tracer)
    return tracer, out


def detach(tracer, sig=signal.SIGINT):
    """Signals ptrc; it must exit 0 within 10 s, saying nothing."""
    tracer.proc.send_signal(sig)
    assert tracer.proc.wait(timeout=10) == 0, tracer.proc.stderr.read()
    assert tracer.proc.stderr.read() == ""


def check_left_running(pid):
    tids = tasks_of(pid)
    assert tids, "process %d is gone" % pid
    for t in tids:
        assert tracer_of(t) == 0, (t, tracer_of(t))
        assert proc_state(t) not in ("t", "T"), (t, proc_state(t))


def lib_calls(lines):
    """Library calls of a trace, an <unfinished ...> joined with its
    <... resumed> per thread: dicts with pid, name, module, args, ret,
    indent, split (printed in two parts), time. Calls still unfinished
    (the trace ended or ptrc detached first) come last with ret None.
    Fails on a line that is neither a call line nor a dump line."""
    found, stacks = [], {}
    for line in lines:
        pid, line = split_pid(line)
        m = WALL_TIME.match(line)
        if m:
            line = m.group("text")
        m = LC_UNFINISHED.match(line)
        if m:
            stacks.setdefault(pid, []).append(m.groupdict())
            continue
        m = LC_RESUMED.match(line)
        if m:
            stack = stacks.get(pid)
            assert stack, "resumed without unfinished in %s: %r" % (pid, line)
            head = stack.pop()
            assert head["name"] == m.group("name"), (head, line)
            found.append(dict(pid=pid, name=head["name"], module=head["module"],
                              args=head["args"] + m.group("args"), ret=m.group("ret"),
                              indent=len(head["indent"]), split=True,
                              time=m.group("time")))
            continue
        m = LC_COMPLETE.match(line)
        if m:
            found.append(dict(pid=pid, name=m.group("name"), module=m.group("module"),
                              args=m.group("args"), ret=m.group("ret"),
                              indent=len(m.group("indent")), split=False,
                              time=m.group("time")))
            continue
        raise AssertionError("not a library call line: %r" % line)
    for pid, stack in stacks.items():
        for head in stack:
            found.append(dict(pid=pid, name=head["name"], module=head["module"],
                              args=head["args"], ret=None, indent=len(head["indent"]),
                              split=True, time=None))
    return found


# ---------------------------------------------------------------------------
# The fixtures themselves (no ptrc)

def objdump_calls(path, symbol):
    """(instruction text) of every call in the function SYMBOL of PATH."""
    done = subprocess.run(["objdump", "-d", "--no-show-raw-insn",
                           "--disassemble=" + symbol, path],
                          capture_output=True, text=True, check=True, timeout=30)
    return [l.split("\t", 1)[1].strip() for l in done.stdout.splitlines()
            if "\t" in l and re.search(r"\tcall\b", l)]


def section(path, name):
    """(address, size) of section NAME of PATH, or None."""
    done = subprocess.run(["readelf", "-SW", path], capture_output=True, text=True,
                          check=True, timeout=30)
    for line in done.stdout.splitlines():
        m = re.match(r"^\s*\[\s*\d+\]\s+(\S+)\s+\S+\s+([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)",
                     line)
        if m and m.group(1) == name:
            return int(m.group(2), 16), int(m.group(3), 16)
    return None


def got_slot(path, symbol):
    """Address of the R_X86_64_GLOB_DAT slot of SYMBOL in PATH."""
    done = subprocess.run(["readelf", "-rW", path], capture_output=True, text=True,
                          check=True, timeout=30)
    for line in done.stdout.splitlines():
        fields = line.split()
        if len(fields) >= 5 and fields[2] == "R_X86_64_GLOB_DAT" and \
                fields[4].split("@")[0] == symbol:
            return int(fields[0], 16)
    return None


def call_target(insn):
    m = re.match(r"call\s+([0-9a-f]+) <", insn)
    return int(m.group(1), 16) if m else None


# (the program or library, the function that calls lcfix_add, how many
# call sites it has)
CALLERS = [("lc_main%s", "sequence", 2), ("liblcfix%s.so", "lcfix_outer", 1)]


def objdump(path, *options):
    return subprocess.run(["objdump", "-d", "--no-show-raw-insn", *options, path],
                          capture_output=True, text=True, check=True, timeout=30).stdout


@pytest.mark.parametrize("what, caller, sites", CALLERS, ids=["lc_main", "liblcfix"])
def test_build_flags_did_what_we_think(what, caller, sites):
    """The variants differ as intended, for lc_main's calls and for the
    library's own: plain calls lcfix_add through .plt, lazily bound; ibt
    has endbr64 at lcfix_add's entry and calls through .plt.sec; noplt
    calls through lcfix_add's GOT slot and has no PLT entry for it; now is
    bound at start-up (BIND_NOW)."""
    paths = {v: os.path.join(FIXTURES, what % v) for v in VARIANTS}

    def in_section(addr, path, name):
        sec = section(path, name)
        return sec is not None and sec[0] <= addr < sec[0] + sec[1]

    for v, plt in (("", ".plt"), ("_ibt", ".plt.sec")):
        calls = [i for i in objdump_calls(paths[v], caller) if "lcfix_add" in i]
        assert len(calls) == sites, (v, calls)
        for insn in calls:
            assert re.fullmatch(r"call\s+[0-9a-f]+ <lcfix_add@plt>", insn), (v, insn)
            assert in_section(call_target(insn), paths[v], plt), (v, insn, plt)
    assert section(paths[""], ".plt.sec") is None
    assert section(paths["_ibt"], ".plt.sec") is not None
    entry = [l for l in objdump(os.path.join(FIXTURES, lib("_ibt")),
                                "--disassemble=lcfix_add").splitlines() if "\t" in l]
    assert entry[0].split("\t", 1)[1].strip() == "endbr64", entry

    slot = got_slot(paths["_noplt"], "lcfix_add")
    assert slot is not None, "no GLOB_DAT slot for lcfix_add in %s" % paths["_noplt"]
    got_calls = [i for i in objdump_calls(paths["_noplt"], caller)
                 if re.fullmatch(r"call\s+\*0x[0-9a-f]+\(%%rip\)\s+# %x <.*>" % slot, i)]
    assert len(got_calls) == sites, (objdump_calls(paths["_noplt"], caller), hex(slot))
    assert "lcfix_add@plt" not in objdump(paths["_noplt"])
    relocs = subprocess.run(["readelf", "-rW", paths["_noplt"]], capture_output=True,
                            text=True, check=True, timeout=30).stdout
    assert not re.search(r"R_X86_64_JUMP_SLOT\s.*\blcfix_add\b", relocs), relocs

    for v in VARIANTS:
        dyn = subprocess.run(["readelf", "-dW", paths[v]], capture_output=True,
                             text=True, check=True, timeout=30).stdout
        now = re.search(r"\(FLAGS\)\s+BIND_NOW|\(FLAGS_1\)\s+Flags:.*\bNOW\b", dyn)
        assert bool(now) == (v == "_now"), (v, dyn)


@pytest.mark.parametrize("variant", VARIANTS, ids=VARIANT_IDS)
def test_fixture_self_check(variant):
    """Untraced, every lc_main prints the expected sum for each go."""
    done = subprocess.run([fixture("lc_main" + variant), "4"], input="go\ngo\nquit\n",
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert re.fullmatch(r"ready \d+\n(sum %d\n){2}" % expected_sum(4), done.stdout), \
        done.stdout


def test_threads_and_dlopen_fixtures_self_check():
    done = subprocess.run([fixture("lc_threads"), "1000"], input="go\n",
                          capture_output=True, text=True, timeout=30)
    assert (done.returncode, done.stdout.splitlines()[1:]) == (0, ["ok %d" % (THREADS * 1000)]), \
        done.stdout + done.stderr
    done = subprocess.run([fixture("lc_threads"), "0"], input="go\nstop\n",
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 0 and re.fullmatch(r"ready \d+\nok \d+\n", done.stdout), \
        done.stdout + done.stderr
    done = subprocess.run([fixture("lc_dlopen")], input="go\nquit\n",
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 0 and re.fullmatch(r"ready \d+\ndl 42\n", done.stdout), \
        done.stdout + done.stderr


# ---------------------------------------------------------------------------
# The known sequence

@pytest.mark.parametrize("variant", VARIANTS, ids=VARIANT_IDS)
def test_run_known_sequence(tmp_path, variant):
    """Every call, the library's own included, in every build: exact lines,
    nested calls indented, the outer ones unfinished and resumed; no
    syscall line (no -e trace=), nothing on stderr."""
    done, lines = run_lcall(tmp_path, [fixture("lc_main" + variant), "3"],
                            "-l", "lcfix_*")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert re.fullmatch(r"ready \d+\nsum %d\n" % expected_sum(3), done.stdout), done.stdout
    assert_lines(without_exit_line(lines), sequence(lib(variant), 3))


@pytest.mark.parametrize("variant", VARIANTS, ids=VARIANT_IDS)
def test_attach_known_sequence(tmp_path, background, variant):
    """The same lines from `ptrc attach`; after the detach the text pages
    are byte-identical to before the attach and the program runs on
    right, untraced."""
    fx = Fixture(background, [fixture("lc_main" + variant), "3"])
    before = text_pages(fx.pid)
    assert {"lc_main" + variant, lib(variant)} <= mapped_paths(before), before.keys()
    tracer, out = attach_lcall(background, tmp_path, fx,
                               (os.path.join(FIXTURES, lib(variant)), FUNCS),
                               "-l", "lcfix_*")
    # The breakpoints are in the library's text while attached.
    assert [d[0] for d in text_differences(before, text_pages(fx.pid))
            if os.path.basename(d[0]) == lib(variant)], "no breakpoint in the text"
    fx.go(3)
    detach(tracer)
    assert_lines(read_lines(out), sequence(lib(variant), 3))
    check_left_running(fx.pid)
    assert text_differences(before, text_pages(fx.pid)) == []
    fx.go(3)
    fx.go(3)
    assert fx.finish("quit") == ""


def test_detach_before_any_call_restores_the_text(tmp_path, background):
    """Attach and detach with no call made in between: the text is as
    before, and the first calls after the detach run untraced and right
    (a breakpoint left behind would kill the process with SIGTRAP)."""
    fx = Fixture(background, [fixture("lc_main"), "5"])
    before = text_pages(fx.pid)
    tracer, out = attach_lcall(background, tmp_path, fx,
                               (os.path.join(FIXTURES, lib()), FUNCS), "-l", "lcfix_*")
    detach(tracer)
    assert read_lines(out) == []
    assert text_differences(before, text_pages(fx.pid)) == []
    fx.go(5)
    assert fx.finish() == ""


# ---------------------------------------------------------------------------
# Selecting functions and callers

@pytest.mark.parametrize("spec, expected", [
    ("lcfix_add,lcfix_echo",
     [r"lcfix_add@liblcfix\.so\(2, 3\) = 5", r'lcfix_echo@liblcfix\.so\("hello"\) = "hello"',
      r"lcfix_add@liblcfix\.so\(5, 1\) = 6", r"lcfix_add@liblcfix\.so\(0, 1\) = 1",
      r"lcfix_add@liblcfix\.so\(0, 0\) = 0", r"lcfix_add@liblcfix\.so\(1, 1\) = 2"]),
    ("liblcfix.so:lcfix_fill", [r'lcfix_fill@liblcfix\.so\("abcdefgh", 8\) = 8']),
    ("*lcfix*:lcfix_e*", [r'lcfix_echo@liblcfix\.so\("hello"\) = "hello"']),
    ("@FIXTURES@/liblcfix.so:lcfix_echo",
     [r'lcfix_echo@liblcfix\.so\("hello"\) = "hello"']),
    ("lcfix_fill,libc.so.6:lcfix_e*", [r'lcfix_fill@liblcfix\.so\("abcdefgh", 8\) = 8']),
], ids=["names", "module:name", "globs", "path:name", "other-module"])
def test_patterns_select_functions(tmp_path, spec, expected):
    spec = spec.replace("@FIXTURES@", os.path.realpath(FIXTURES))
    done, lines = run_lcall(tmp_path, [fixture("lc_main"), "2"], "-l", spec)
    assert done.returncode == 0, done.stderr
    assert_lines(without_exit_line(lines), expected)


def test_caller_filter_main_program(tmp_path):
    """-L lc_main: only the calls made from lc_main; lcfix_outer and
    lcfix_nest print whole, nothing nested in them."""
    done, lines = run_lcall(tmp_path, [fixture("lc_main"), "2"],
                            "-l", "lcfix_*", "-L", "lc_main")
    assert done.returncode == 0, done.stderr
    assert_lines(without_exit_line(lines), sequence(lib(), 2, internal=False))


def test_caller_filter_by_path_glob(tmp_path):
    """A -L glob may match the module's path."""
    done, lines = run_lcall(tmp_path, [fixture("lc_main"), "2"],
                            "-l", "lcfix_*", "-L", "*/fixtures/lc_main")
    assert done.returncode == 0, done.stderr
    assert_lines(without_exit_line(lines), sequence(lib(), 2, internal=False))


@pytest.mark.parametrize("variant", VARIANTS, ids=VARIANT_IDS)
def test_caller_filter_library(tmp_path, variant):
    """-L liblcfix*.so: only the library's calls of its own functions
    (through its PLT, .plt.sec or GOT); the nested ones indented two
    spaces a level relative to their caller."""
    done, lines = run_lcall(tmp_path, [fixture("lc_main" + variant), "2"],
                            "-l", "lcfix_*", "-L", "liblcfix*.so")
    assert done.returncode == 0, done.stderr
    lines = without_exit_line(lines)
    check_relative_indent(lines)
    assert_lines([l.lstrip(" ") for l in lines],
                 sequence(lib(variant), 2, main=False, internal=True))


def test_syscalls_interleave_when_asked(tmp_path):
    """-e trace=write with -l: the writes and the calls in one timeline,
    in the order they happened; no other syscall."""
    done, lines = run_lcall(tmp_path, [fixture("lc_main"), "1"],
                            "-l", "lcfix_add,lcfix_echo", "-L", "lc_main",
                            "-e", "trace=write")
    assert done.returncode == 0, done.stderr
    pid = int(done.stdout.split()[1])
    summed = "sum %d\n" % expected_sum(1)
    assert_lines(without_exit_line(lines), [
        re.escape(r'write(1, "ready %d\n", %d)' % (pid, len("ready %d\n" % pid))) +
        r"\s+= %d" % len("ready %d\n" % pid),
        r"lcfix_add@liblcfix\.so\(2, 3\) = 5",
        r'lcfix_echo@liblcfix\.so\("hello"\) = "hello"',
        r"lcfix_add@liblcfix\.so\(0, 0\) = 0",
        re.escape(r'write(1, "sum %d\n", %d)' % (expected_sum(1), len(summed))) +
        r"\s+= %d" % len(summed),
    ])


def test_times_and_durations(tmp_path):
    """-tt: the wall-clock time first, never going back; -T: the time
    spent in the call; an outer call takes at least as long as the calls
    nested in it."""
    done, lines = run_lcall(tmp_path, [fixture("lc_main"), "2"],
                            "-l", "lcfix_*", "-tt", "-T")
    assert done.returncode == 0, done.stderr
    lines = without_exit_line(lines)
    stamps, bare = [], []
    for line in lines:
        m = WALL_TIME.match(line)
        assert m, line
        stamps.append(m.group("time"))
        text = m.group("text")
        if not LC_UNFINISHED.match(text):
            assert re.search(r" <\d+\.\d{6}>$", text), text
        bare.append(re.sub(r" <\d+\.\d{6}>$", "", text))
    assert stamps == sorted(stamps), stamps
    assert_lines(bare, sequence(lib(), 2))
    # (name, arguments; the first only for calls without prototype)
    timed = {(c["name"], c["args"] if c["name"] == "lcfix_add" else c["args"].split(",")[0]):
             float(c["time"])
             for c in lib_calls([WALL_TIME.match(l).group("text") for l in lines])}
    assert timed[("lcfix_outer", "0x5")] >= timed[("lcfix_add", "5, 1")]
    assert timed[("lcfix_nest", "0x2")] >= timed[("lcfix_nest", "0x1")] >= \
        timed[("lcfix_nest", "0")] >= timed[("lcfix_add", "0, 1")]


# ---------------------------------------------------------------------------
# dlopen

@pytest.mark.parametrize("spec", ["lcfix_add", "liblcfix_dl.so:lcfix_*"])
def test_run_sees_a_library_loaded_later(tmp_path, spec):
    done, lines = run_lcall(tmp_path, [fixture("lc_dlopen")], "-l", spec,
                            stdin="go\nquit\n")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[1:] == ["dl 42"]
    # Nothing matched before the dlopen: at most the note.
    assert done.stderr in ("", "ptrc: no function matches -l %s\n" % spec), done.stderr
    assert_lines(without_exit_line(lines), [r"lcfix_add@liblcfix_dl\.so\(40, 2\) = 42"])


def test_attach_sees_a_library_loaded_later(tmp_path, background):
    fx = Fixture(background, [fixture("lc_dlopen")])
    before = text_pages(fx.pid)
    tracer, out = start_attach(background, tmp_path, fx.pid, "-l", "lcfix_add")
    # ptrc watches ld.so's rendezvous: give it time to set that up (with a
    # breakpoint it shows in the text).
    wait_for(lambda: text_differences(before, text_pages(fx.pid)), timeout=3)
    assert tracer.proc.poll() is None, tracer.proc.stderr.read()
    fx.send("go")
    assert fx.proc.stdout.readline() == "dl 42\n"
    tracer.proc.send_signal(signal.SIGINT)
    assert tracer.proc.wait(timeout=10) == 0, tracer.proc.stderr.read()
    assert tracer.proc.stderr.read() in ("", "ptrc: no function matches -l lcfix_add\n")
    assert_lines(read_lines(out), [r"lcfix_add@liblcfix_dl\.so\(40, 2\) = 42"])
    check_left_running(fx.pid)
    after = text_pages(fx.pid)
    assert text_differences(before, {k: v for k, v in after.items() if k in before}) == []
    # The library loaded while traced is as its file says.
    for (path, start, end), data in after.items():
        if os.path.basename(path) == "liblcfix_dl.so":
            offset = [o for s, _, _, o, p in maps(fx.pid) if s == start][0]
            with open(path, "rb") as f:
                f.seek(offset)
                disk = f.read(end - start)
            assert data[:len(disk)] == disk
            break
    else:
        raise AssertionError("liblcfix_dl.so is not mapped")
    assert fx.finish("quit") == ""


# ---------------------------------------------------------------------------
# Threads

def check_thread_calls(calls, k, lines):
    """Exactly THREADS threads, each with lcfix_add(i, t) = i + t for every
    i < K once, t its own index; each call's line split only when another
    thread's line came between."""
    by_pid = {}
    for c in calls:
        assert c["name"] == "lcfix_add" and c["module"] == "liblcfix.so", c
        assert c["pid"] is not None, "a line without [pid N]: %s" % c
        a, b = (int(x) for x in c["args"].split(", "))
        assert c["ret"] == str(a + b), c
        by_pid.setdefault(c["pid"], []).append((a, b))
    assert len(by_pid) == THREADS, sorted(by_pid)
    indices = set()
    for pid, pairs in by_pid.items():
        ts = {b for _, b in pairs}
        assert len(ts) == 1, (pid, ts)
        indices |= ts
        assert sorted(a for a, _ in pairs) == list(range(k)), \
            "thread %d: %d calls, %d distinct" % (pid, len(pairs), len({a for a, _ in pairs}))
    assert indices == set(range(THREADS))
    for first, second in zip(lines, lines[1:]):
        (p1, t1), (p2, t2) = split_pid(first), split_pid(second)
        if p1 is not None and p1 == p2:
            assert not (LC_UNFINISHED.match(t1) and LC_RESUMED.match(t2)), \
                "split needlessly: %r, %r" % (first, second)


K = 2000


def test_run_threads_every_call_once(tmp_path):
    done, lines = run_lcall(tmp_path, [fixture("lc_threads"), str(K)], "-l", "lcfix_add",
                            stdin="go\n", timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[1:] == ["ok %d" % (THREADS * K)]
    # ptrc run's last lines may be the threads' and the process's exits
    # (a thread's exit between a call's lines splits them, rightly).
    calls = lib_calls([l for l in lines if unprefixed(l) != EXIT_LINE])
    assert len(calls) == THREADS * K
    check_thread_calls(calls, K, lines)


def test_attach_threads_every_call_once(tmp_path, background):
    fx = Fixture(background, [fixture("lc_threads"), str(K)])
    assert wait_for(lambda: len(tasks_of(fx.pid)) == THREADS + 1)
    tracer, out = attach_lcall(background, tmp_path, fx,
                               (os.path.join(FIXTURES, lib()), ["lcfix_add"]),
                               "-l", "lcfix_add")
    assert fx.finish("go").splitlines() == ["ok %d" % (THREADS * K)]
    # ptrc ends by itself with the process.
    assert tracer.proc.wait(timeout=30) == 0, tracer.proc.stderr.read()
    assert tracer.proc.stderr.read() == ""
    lines = read_lines(out)
    calls = lib_calls([l for l in lines if unprefixed(l) != EXIT_LINE])
    assert len(calls) == THREADS * K
    check_thread_calls(calls, K, lines)


CYCLES = 3


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_detach_while_threads_call(tmp_path, background, sig):
    """8 threads call lcfix_add without pause; ptrc attaches and detaches
    CYCLES times while they do. No thread dies of a SIGTRAP or gets a
    wrong sum, the text is as before after each detach, and every call
    traced has the right result."""
    fx = Fixture(background, [fixture("lc_threads"), "0"])
    assert wait_for(lambda: len(tasks_of(fx.pid)) == THREADS + 1)
    before = text_pages(fx.pid)
    fx.send("go")
    for cycle in range(CYCLES):
        out_dir = tmp_path / ("cycle%d" % cycle)
        out_dir.mkdir()
        tracer, out = attach_lcall(background, out_dir, fx,
                                   (os.path.join(FIXTURES, lib()), ["lcfix_add"]),
                                   "-l", "lcfix_add")
        # 500 calls, not 500 lines: calls of threads that interleave take
        # two lines each (<unfinished ...> and <... resumed>). Only whole
        # lines of the file being written count.
        def traced_calls():
            text = out.read_text(errors="replace") if out.exists() else ""
            return len(lib_calls(text.split("\n")[:-1]))
        assert wait_for(lambda: traced_calls() >= 500, timeout=20), \
            "cycle %d: %d calls traced" % (cycle, traced_calls())
        detach(tracer, sig)
        assert fx.proc.poll() is None, fx.proc.stderr.read()
        check_left_running(fx.pid)
        assert text_differences(before, text_pages(fx.pid)) == [], "cycle %d" % cycle
        calls = lib_calls(read_lines(out))
        assert len(calls) >= 500
        for c in calls:
            a, b = (int(x) for x in c["args"].split(", "))
            assert c["ret"] in (None, str(a + b)), c
        # Untraced for a moment: a breakpoint left behind would show now.
        time.sleep(0.2)
    rest = fx.finish("stop")
    assert re.fullmatch(r"ok \d+\n", rest), rest


# ---------------------------------------------------------------------------
# Errors and notes

@pytest.mark.parametrize("spec", ["", "liblcfix.so:", ":lcfix_add", "lcfix_add,,lcfix_echo",
                                  ","], ids=["empty", "no-function", "no-module",
                                             "empty-item", "comma"])
@pytest.mark.parametrize("mode", ["run", "attach"])
def test_bad_pattern(tmp_path, background, spec, mode):
    """An empty pattern or an empty part of one: exit 64, one line naming
    -l, nothing run, attached or written."""
    sleeper = background(["sleep", "30"])
    if mode == "run":
        args = ["run", "-l", spec, "-o", "trace.txt", "--", "/bin/touch", "ran"]
    else:
        args = ["attach", "-l", spec, "-o", "trace.txt", str(sleeper.pid)]
    done = subprocess.run([PTRC, *args], capture_output=True, text=True, timeout=30,
                          cwd=tmp_path)
    assert done.returncode == USAGE, (done.returncode, done.stderr)
    assert done.stderr.startswith("ptrc: ") and done.stderr.count("\n") == 1 and \
        done.stderr.endswith("\n"), done.stderr
    assert "unknown option" not in done.stderr and "-l" in done.stderr, done.stderr
    assert done.stdout == ""
    assert os.listdir(tmp_path) == []
    assert tracer_of(sleeper.pid) == 0


@pytest.mark.parametrize("spec, missing", [
    ("no_such_function_lcfix", "no_such_function_lcfix"),
    ("lcfix_add,no_such_function_lcfix", "no_such_function_lcfix"),
    ("libc.so.6:lcfix_*", "libc.so.6:lcfix_*"),
], ids=["name", "one-of-two", "wrong-module"])
def test_run_pattern_that_matches_nothing(tmp_path, spec, missing):
    """A note, once, naming the pattern; the command runs as it would."""
    done, lines = run_lcall(tmp_path, [fixture("lc_main"), "1"], "-l", spec)
    assert done.returncode == 0, done.stderr
    assert done.stderr == "ptrc: no function matches -l %s\n" % missing
    assert done.stdout.splitlines()[1:] == ["sum %d" % expected_sum(1)]
    if spec.startswith("lcfix_add,"):
        assert_lines(without_exit_line(lines), [
            r"lcfix_add@liblcfix\.so\(2, 3\) = 5", r"lcfix_add@liblcfix\.so\(5, 1\) = 6",
            r"lcfix_add@liblcfix\.so\(0, 1\) = 1", r"lcfix_add@liblcfix\.so\(0, 0\) = 0"])
    else:
        assert without_exit_line(lines) == []


def test_attach_pattern_that_matches_nothing(tmp_path, background):
    """The note comes at the attach and ptrc keeps tracing (a library may
    still come with dlopen)."""
    fx = Fixture(background, [fixture("lc_main"), "1"])
    tracer, out = start_attach(background, tmp_path, fx.pid, "-l", "no_such_function_lcfix")
    assert wait_for(lambda: tracer.proc.poll() is not None or
                    "\n" in _peek_stderr(tracer), timeout=5), "no note at the attach"
    fx.go(1)
    assert tracer.proc.poll() is None, "ptrc gave up"
    assert all(tracer_of(t) == tracer.pid for t in tasks_of(fx.pid))
    tracer.proc.send_signal(signal.SIGINT)
    assert tracer.proc.wait(timeout=10) == 0
    assert _peek_stderr(tracer) == "ptrc: no function matches -l no_such_function_lcfix\n"
    assert read_lines(out) == []
    check_left_running(fx.pid)
    assert fx.finish() == ""


def _peek_stderr(tracer):
    """What ptrc wrote on stderr so far (kept across calls)."""
    got = getattr(tracer, "stderr_seen", "")
    fd = tracer.proc.stderr.fileno()
    os.set_blocking(fd, False)
    try:
        chunk = os.read(fd, 65536)
    except BlockingIOError:
        chunk = b""
    got += chunk.decode(errors="replace")
    tracer.stderr_seen = got
    return got


# ---------------------------------------------------------------------------
# --json

def test_json_call_objects(tmp_path):
    """--json: one "call" object per returned call, in return order (the
    nested call first), with its module, depth, arguments ({raw, text}
    each, as the line shows them) and return value; valid JSON on every
    line."""
    done, lines = run_lcall(tmp_path, [fixture("lc_main"), "1"], "--json",
                            "-l", "lcfix_add,lcfix_echo,lcfix_outer")
    assert done.returncode == 0, done.stderr
    objects = [json.loads(l) for l in lines]
    calls = [o for o in objects if o["type"] == "call"]
    assert [o["type"] for o in objects if o["type"] != "call"] == ["exit"]
    for c in calls:
        for a in c["args"]:
            assert set(a) == {"raw", "text"} and a["raw"].startswith("0"), c
    got = [(c["function"], c["module"], c["depth"],
            ", ".join(a["text"] for a in c["args"]), c["return"], c["text"])
           for c in calls]
    assert got == [
        ("lcfix_add", "liblcfix.so", 0, "2, 3", 5, "5"),
        ("lcfix_echo", "liblcfix.so", 0, '"hello"', got[1][4], '"hello"'),
        ("lcfix_add", "liblcfix.so", 1, "5, 1", 6, "6"),
        ("lcfix_outer", "liblcfix.so", 0, got[3][3], 12, "0xc"),
        ("lcfix_add", "liblcfix.so", 0, "0, 1", 1, "1"),  # lcfix_nest's
        ("lcfix_add", "liblcfix.so", 0, "0, 0", 0, "0"),
    ], got
    assert got[3][3].startswith("0x5, ")  # no prototype: six registers
    assert len(calls[3]["args"]) == 6 and calls[3]["args"][0]["raw"] == "0x5"
    assert calls[0]["args"] == [{"raw": "0x2", "text": "2"}, {"raw": "0x3", "text": "3"}]
    # an output argument shows what the call left in it
    done, lines = run_lcall(tmp_path, [fixture("lc_main"), "0"], "--json",
                            "-l", "lcfix_fill")
    fill = [json.loads(l) for l in lines if '"call"' in l]
    assert len(fill) == 1 and [a["text"] for a in fill[0]["args"]] == \
        ['"abcdefgh"', "8"], fill
    for c in calls:
        assert c["pid"] == c["tid"] and c["duration"] >= 0


# ---------------------------------------------------------------------------
# Children

def test_children_not_followed(tmp_path):
    """Without -f a fork child's copy of the memory gets the original bytes
    back before it runs (else its first traced call would kill it with
    SIGTRAP), and system()'s child, which shares the memory until its
    execve, is passed over: only the parent's calls show."""
    done, lines = run_lcall(tmp_path, [fixture("lc_fork")], "-l", "lcfix_add",
                            "-e", "signal=none")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "child 10 system 7 sum 10\n"
    assert done.stderr == ""
    assert_lines(without_exit_line(lines), [r"lcfix_add@liblcfix\.so\(1, 1\) = 2",
                                            r"lcfix_add@liblcfix\.so\(4, 4\) = 8"])


def test_children_followed(tmp_path):
    """-f: the fork child's calls show under its pid (it has a copy of the
    breakpoints), the shell of system() exits 7."""
    done, lines = run_lcall(tmp_path, [fixture("lc_fork")], "-f", "-l", "lcfix_add",
                            "-e", "signal=none")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "child 10 system 7 sum 10\n"
    pid = r"\d+ +"   # -o -f: every line has its pid ("%-5d ")
    assert_lines(lines, [pid + r"lcfix_add@liblcfix\.so\(1, 1\) = 2",
                         pid + r"lcfix_add@liblcfix\.so\(2, 2\) = 4",
                         pid + r"lcfix_add@liblcfix\.so\(3, 3\) = 6",
                         pid + r"\+\+\+ exited with 10 \+\+\+",
                         pid + r"\+\+\+ exited with 7 \+\+\+",
                         pid + r"lcfix_add@liblcfix\.so\(4, 4\) = 8",
                         pid + r"\+\+\+ exited with 0 \+\+\+"])


@I386
def test_32bit_process_noted(tmp_path):
    """A 32-bit process: one note, no breakpoint, and it runs as usual."""
    exe = fixture("fx_basic-m32")
    if not os.path.exists(exe):
        pytest.skip("no -m32 fixtures (gcc-multilib)")
    done, lines = run_lcall(tmp_path, [exe], "-l", "puts")
    assert done.returncode == 0, done.stderr
    assert re.fullmatch(r"ptrc: process \d+: library calls of 32-bit processes "
                        r"are not traced\n", done.stderr), done.stderr
    assert without_exit_line(lines) == []
