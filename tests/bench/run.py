#!/usr/bin/env python3
"""Measure ptrc against no tracer, the ptrace floor, strace, eu-stack and gdb.

    tests/bench/run.py [--size tiny|small|full] [--reps N] [--pin CPU]
                       [--build DIR] [--ptrc PATH] [--only REGEX]
                       [--json FILE]

Scenarios: each row is one tool on one workload:
  1 run / 1 attach  full decoding into a file, `ptrc run` and `ptrc attach`;
                    "floor --info" adds the one PTRACE_GET_SYSCALL_INFO per
                    stop that any decoding tracer needs
  1 own syscalls    the syscalls a tracer itself makes per syscall of the
                    workload (strace -c on the tracer; own_syscalls.py):
                    a count, not a time, so the load does not move it
  2 trace=write     `run -e trace=write` (seccomp-bpf in strace and the floor)
  3 crash           `--crash`: PTRACE_CONT only
  4 stack           `ptrc stack` on the 8-thread fixture and on a big binary
                    with debug info, against eu-stack and gdb
  5 crash latency   kill -SEGV to the crash report written (ptrc exits)
  6 -k              a stack per syscall, against strace -k
  7 lcall           library calls: lcall_loop calls lcfix_add (liblcbench.so)
                    N times, under `ltrace -e lcfix_add` and `ptrc run -l
                    lcfix_add`; the cost per call, (traced - native) / N, is
                    printed after the table
  mem               peak RSS of `ptrc attach` on a 100-thread process

The workloads (tests/bench/workloads) time their own work and print it, so
tracer start-up and attach are left out and `run` and `attach` measure the
same thing; the real program (tar) is timed from outside, start to exit.
Repetitions run round-robin: every rep runs each row once, tools in a
rotating order, so that a noisy neighbour hurts every tool alike. The table
shows medians and ratios to native and to the floor of the scenario; the
ratios are the result, the absolute times depend on the machine.

Scenarios whose ptrc option does not exist yet (probed with `ptrc --help`)
are printed as "n/a: ...", so the script keeps working as features land.
Standard library only.
"""
import argparse
import json
import os
import platform
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import own_syscalls  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
WORKLOADS = ("getppid_loop", "rw_loop", "cpu_loop")
ELAPSED = re.compile(rb"^bench_elapsed_ns=(\d+)$", re.M)

# Per size: loop counts, and the directory the real-program workload archives.
# getppid_fast: the getppid loops of scenarios 2 and 3, where no getppid call
# stops and a short loop would measure noise. lcalls: library calls of
# scenario 7 (ltrace 0.7.3 takes some 100-250 us a call).
SIZES = {
    "tiny": dict(getppid=2000, getppid_fast=8000, rw=1000, cpu=20, k_calls=100, mem_calls=1000, lcalls=2000,
                 tar_dir="/usr/include/linux/netfilter", stack_reps=1,
                 big_functions=200),
    "small": dict(getppid=50000, getppid_fast=200000, rw=25000, cpu=1000, k_calls=1000,
                  mem_calls=5000, lcalls=20000, tar_dir="/usr/include/linux", stack_reps=3,
                  big_functions=3000),
    "full": dict(getppid=200000, getppid_fast=1000000, rw=200000, cpu=5000, k_calls=5000,
                 mem_calls=20000, lcalls=100000, tar_dir="/usr/include", stack_reps=3,
                 big_functions=3000),
}


class NotApplicable(Exception):
    """The row cannot run here: a tool or a ptrc feature is missing."""


class RunError(Exception):
    """A run failed; the message goes into the table."""


# --------------------------------------------------------------------------
# Environment

def find_build(args):
    build = args.build or os.environ.get("PTRC_BUILD") or os.path.join(ROOT, "build")
    return os.path.abspath(build)


def compile_bench_programs(build, tmp):
    """The workloads and floor tracer: from the meson build when it has them
    (tests/bench/meson.build), else compiled here with cc into tmp
    (lcall_loop with its liblcbench.so beside it)."""
    paths = {}
    built = os.path.join(build, "tests", "bench")
    cc = os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc")
    for name in WORKLOADS + ("floor_tracer", "maxrss", "lcall_loop"):
        path = os.path.join(built, name)
        if os.access(path, os.X_OK):
            paths[name] = path
            continue
        if not cc:
            raise SystemExit("run.py: %s is not built and there is no C compiler" % name)
        workload = name in WORKLOADS or name == "lcall_loop"
        src = os.path.join(HERE, "workloads" if workload else "", name + ".c")
        path = os.path.join(tmp, name)
        extra = []
        if name == "lcall_loop":
            subprocess.run([cc, "-O2", "-shared", "-fPIC", "-o",
                            os.path.join(tmp, "liblcbench.so"),
                            os.path.join(HERE, "workloads", "lcbench.c")], check=True)
            extra = ["-L" + tmp, "-llcbench", "-Wl,-rpath,$ORIGIN"]
        subprocess.run([cc, "-O2", "-D_GNU_SOURCE", "-pthread", "-o", path, src] + extra,
                       check=True)
        paths[name] = path
    return paths


def probe_ptrc(ptrc):
    """Which of ptrc's options exist, from `ptrc --help`."""
    features = dict(present=False, crash=False, stack=False, k=False,
                    no_seccomp=False, lcall=False, help="")
    if not os.access(ptrc, os.X_OK):
        return features
    try:
        done = subprocess.run([ptrc, "--help"], capture_output=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return features
    text = (done.stdout + done.stderr).decode(errors="replace")
    features.update(
        present=True, help=text,
        crash="--crash" in text,
        stack=re.search(r"\bptrc stack\b", text) is not None,
        k=re.search(r"^\s+-k\b", text, re.M) is not None,
        no_seccomp="--no-seccomp" in text,
        lcall=re.search(r"^\s+-l\b", text, re.M) is not None)
    return features


# --------------------------------------------------------------------------
# Running one measurement

def elapsed_from(stdout):
    m = ELAPSED.search(stdout)
    if not m:
        return None
    return int(m.group(1)) / 1e9


def short_error(what, rc, stderr):
    lines = [l for l in stderr.decode(errors="replace").splitlines() if l.strip()]
    tail = lines[-1][:100] if lines else ""
    return "%s exited %s%s" % (what, rc, (": " + tail) if tail else "")


def no_core():
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def run_command(argv, metric, timeout, expect_rc=(0,)):
    """Run argv to completion. metric "self": the workload's own elapsed
    time; "wall": start to exit of the whole command."""
    start = time.perf_counter()
    try:
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                preexec_fn=no_core)
    except OSError as e:
        raise RunError("%s: %s" % (argv[0], e.strerror))
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise RunError("timed out after %d s" % timeout)
    wall = time.perf_counter() - start
    if proc.returncode not in expect_rc:
        raise RunError(short_error(os.path.basename(argv[0]), proc.returncode, err))
    if metric == "wall":
        return dict(value=wall, wall=wall)
    value = elapsed_from(out)
    if value is None:
        raise RunError("no bench_elapsed_ns line: " + short_error(
            os.path.basename(argv[0]), proc.returncode, err))
    return dict(value=value, wall=wall)


def tracer_of(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("TracerPid:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return 0


def run_attached(prefix, workload_argv, tracer_argv, timeout):
    """Start the workload paused (BENCH_WAIT=1), attach the tracer, release
    the workload and take its own elapsed time. tracer_argv(pid) may start
    the tracer through a helper (maxrss): any tracer will do."""
    env = dict(os.environ, BENCH_WAIT="1")
    work = subprocess.Popen(prefix + workload_argv, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=env, preexec_fn=no_core)
    tracer = None
    try:
        if work.stdout.readline().strip() != b"ready":
            raise RunError("workload did not start")
        tracer = subprocess.Popen(prefix + tracer_argv(work.pid),
                                  stdin=subprocess.DEVNULL,
                                  stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE)
        deadline = time.monotonic() + 10
        while tracer_of(work.pid) in (0, None):
            if tracer.poll() is not None:
                raise RunError(short_error(os.path.basename(tracer_argv(0)[0]),
                                           tracer.returncode, tracer.stderr.read()))
            if time.monotonic() > deadline:
                raise RunError("tracer did not attach within 10 s")
            time.sleep(0.002)
        time.sleep(0.05)  # the tracer's first stops and resumes
        start = time.perf_counter()
        work.stdin.write(b"g")
        work.stdin.close()
        out = work.stdout.read()
        work.wait(timeout=timeout)
        rc = tracer.wait(timeout=timeout)
        wall = time.perf_counter() - start
        err = tracer.stderr.read()
        if work.returncode != 0:
            raise RunError(short_error("workload", work.returncode, work.stderr.read()))
        if rc != 0:
            raise RunError(short_error(os.path.basename(tracer_argv(0)[0]), rc, err))
        value = elapsed_from(out)
        if value is None:
            raise RunError("no bench_elapsed_ns line")
        return dict(value=value, wall=wall)
    finally:
        for p in (work, tracer):
            if p and p.poll() is None:
                p.kill()
                p.wait()
        for p in (work, tracer):
            if p:
                for f in (p.stdin, p.stdout, p.stderr):
                    if f:
                        f.close()


# --------------------------------------------------------------------------
# The long-running targets of scenarios 4 and 5

class Target:
    """A program that prints "ready" and then waits (stack fixtures)."""

    def __init__(self, prefix, argv):
        self.prefix = prefix
        self.argv = argv
        self.proc = None

    def pid(self):
        if self.proc and self.proc.poll() is None:
            return self.proc.pid
        self.start()
        return self.proc.pid

    def start(self):
        self.stop()
        self.proc = subprocess.Popen(self.prefix + self.argv,
                                     stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL,
                                     preexec_fn=no_core)
        line = self.proc.stdout.readline()
        if line.strip() != b"ready":
            self.stop()
            raise RunError("%s did not print ready" % os.path.basename(self.argv[0]))

    def stop(self):
        if self.proc:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
            self.proc.stdout.close()
            self.proc = None


def generate_big_program(path, functions):
    """A C program with FUNCTIONS functions, each with its own struct type
    and locals, for a large .debug_info once compiled -O2 -g. 8 threads
    wait in pause() at the end of different call chains 25 functions deep;
    then it prints "ready". The "large binary with debug info" of
    scenario 4."""
    functions = max(functions, 200)
    parts = ["#define _GNU_SOURCE", "#include <pthread.h>", "#include <stdio.h>",
             "#include <unistd.h>", "static volatile int sink;",
             "static pthread_barrier_t barrier;",
             "__attribute__((noipa)) static void leaf(void) { for (;;) pause(); }"]
    for i in range(functions):
        callee = "leaf()" if i % 25 == 0 else "f%d(x + 1)" % (i - 1)
        parts.append(
            "struct s%(i)d { int a; long b; double c; char d[%(n)d]; };\n"
            "__attribute__((noipa)) void f%(i)d(int x) {\n"
            "  struct s%(i)d v = { x, x * 2L, x / 3.0, { 0 } };\n"
            "  for (int k = 0; k < x %% 7; k++) v.b += v.a * k;\n"
            "  if (x >= 0) %(callee)s;\n"
            "  sink += (int)v.b + (int)v.c + v.d[0];\n}"
            % dict(i=i, n=4 + i % 13, callee=callee))
    for t in range(8):
        parts.append("static void *t%d(void *a) { (void)a; pthread_barrier_wait(&barrier); "
                     "f%d(0); return 0; }" % (t, 24 + 25 * t))
    parts.append("int main(void) {\n  pthread_t t;\n"
                 "  pthread_barrier_init(&barrier, 0, 9);\n" +
                 "".join("  pthread_create(&t, 0, t%d, 0);\n" % t for t in range(8)) +
                 "  pthread_barrier_wait(&barrier);\n  usleep(100000);\n"
                 "  printf(\"ready\\n\");\n  fflush(stdout);\n"
                 "  for (;;) pause();\n}\n")
    with open(path, "w") as f:
        f.write("\n".join(parts))


def build_big_program(build, tmp, functions):
    """Compiled once per size, kept in BUILD/tests/bench when writable
    (compiling 3000 functions takes a while)."""
    cc = os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc")
    if not cc:
        raise NotApplicable("n/a: no C compiler")
    where = os.path.join(build, "tests", "bench")
    if not os.access(where, os.W_OK):
        where = tmp
    exe = os.path.join(where, "big_debug-%d" % functions)
    if os.access(exe, os.X_OK):
        return exe
    src = os.path.join(tmp, "big_debug-%d.c" % functions)
    generate_big_program(src, functions)
    done = subprocess.run([cc, "-O2", "-g", "-pthread", "-o", exe, src],
                          capture_output=True)
    if done.returncode != 0:
        raise NotApplicable("n/a: big_debug did not build: " +
                            done.stderr.decode(errors="replace")[:100])
    return exe


# --------------------------------------------------------------------------
# The benchmark plan

class Row:
    """One tool on one workload: a callable that measures once."""

    def __init__(self, scenario, workload, tool, measure=None, na=None,
                 unit="s", role=None):
        self.scenario = scenario
        self.workload = workload
        self.tool = tool
        self.measure = measure
        self.na = na
        self.unit = unit
        self.role = role or tool  # "native", "floor", "strace", "ptrc", ...
        self.samples = []
        self.extra = []
        self.error = None
        self.goals = []  # (text, function(rows of group) -> ratio, limit)
        self.calls = None  # scenario 7: library calls per run

    def key(self):
        return (self.scenario, self.workload)


class Plan:
    def __init__(self, args, build, bins, ptrc, features, tmp):
        self.args = args
        self.size = SIZES[args.size]
        self.build = build
        self.bins = bins
        self.ptrc = ptrc
        self.f = features
        self.tmp = tmp
        self.prefix = ["taskset", "-c", str(args.pin)] if args.pin is not None else []
        self.rows = []
        self.targets = []
        self.timeout = args.timeout

    # -- helpers ----------------------------------------------------------

    def out(self, name):
        return os.path.join(self.tmp, name)

    def cleanup_out(self, name):
        path = self.out(name)
        try:
            size = os.path.getsize(path)
            os.unlink(path)
        except OSError:
            size = None
        return size

    def need(self, program):
        if not shutil.which(program):
            return "n/a: no %s" % program
        return None

    def ptrc_na(self, feature=None, what=None):
        if not self.f["present"]:
            return "n/a: no ptrc at %s" % self.ptrc
        if feature and not self.f[feature]:
            return "n/a: ptrc has no %s yet" % what
        return None

    def add(self, scenario, workload, tool, measure, na=None, unit="s", role=None):
        row = Row(scenario, workload, tool, measure, na, unit, role)
        self.rows.append(row)
        return row

    def cmd(self, argv, metric, outname=None, expect_rc=(0,)):
        def measure():
            try:
                result = run_command(self.prefix + argv, metric, self.timeout,
                                     expect_rc)
            finally:
                if outname:
                    size = self.cleanup_out(outname)
            if outname:
                result["output_bytes"] = size
            return result
        return measure

    def attached(self, workload_argv, tracer_argv, outname=None):
        def measure():
            try:
                result = run_attached(self.prefix, workload_argv, tracer_argv,
                                      self.timeout)
            finally:
                if outname:
                    size = self.cleanup_out(outname)
            if outname:
                result["output_bytes"] = size
            return result
        return measure

    # -- workloads --------------------------------------------------------

    def workloads(self, real=True, fast=False):
        s, b = self.size, self.bins
        n = s["getppid_fast"] if fast else s["getppid"]
        loads = [
            ("getppid_loop %d" % n, [b["getppid_loop"], str(n)], "self"),
            ("getppid_loop %d, 4 threads" % n, [b["getppid_loop"], str(n), "4"], "self"),
            ("rw_loop %d" % s["rw"], [b["rw_loop"], str(s["rw"])], "self"),
            ("cpu_loop %d" % s["cpu"], [b["cpu_loop"], str(s["cpu"])], "self"),
        ]
        if real and shutil.which("tar") and os.path.isdir(s["tar_dir"]):
            loads.append(("tar cf FILE %s" % s["tar_dir"],
                          ["tar", "cf", self.out("bench.tar"), s["tar_dir"]], "wall"))
        return loads

    # -- scenarios --------------------------------------------------------

    def scenario_run(self):
        strace_na = self.need("strace")
        for name, argv, metric in self.workloads():
            sc = "1 run"
            self.add(sc, name, "native", self.cmd(argv, metric), role="native")
            self.add(sc, name, "floor", self.cmd([self.bins["floor_tracer"]] + argv, metric),
                     role="floor")
            # The least a decoder adds: one PTRACE_GET_SYSCALL_INFO per stop.
            self.add(sc, name, "floor --info",
                     self.cmd([self.bins["floor_tracer"], "--info"] + argv, metric),
                     role="floor-info")
            self.add(sc, name, "strace -f -o FILE",
                     self.cmd(["strace", "-f", "-o", self.out("strace.out")] + argv,
                              metric, "strace.out"), na=strace_na, role="strace")
            row = self.add(sc, name, "ptrc run -f -o FILE",
                           self.cmd([self.ptrc, "run", "-f", "-o", self.out("ptrc.out"),
                                     "--"] + argv, metric, "ptrc.out"),
                           na=self.ptrc_na(), role="ptrc")
            if name.startswith(("getppid_loop", "rw_loop")):
                row.goals.append(("<= 1.10x floor", "floor", 1.10))
            if not name.startswith("cpu_loop"):
                row.goals.append(("<= 1.05x floor --info", "floor-info", 1.05))

    def scenario_attach(self):
        strace_na = self.need("strace")
        for name, argv, metric in self.workloads(real=False):
            sc = "1 attach"
            self.add(sc, name, "native", self.cmd(argv, metric), role="native")
            self.add(sc, name, "floor -p",
                     self.attached(argv, lambda pid: [self.bins["floor_tracer"], "-p", str(pid)]),
                     role="floor")
            self.add(sc, name, "floor --info -p",
                     self.attached(argv, lambda pid: [self.bins["floor_tracer"], "--info",
                                                      "-p", str(pid)]),
                     role="floor-info")
            self.add(sc, name, "strace -f -o FILE -p",
                     self.attached(argv, lambda pid: ["strace", "-f", "-o",
                                                      self.out("strace.out"), "-p", str(pid)],
                                   "strace.out"), na=strace_na, role="strace")
            row = self.add(sc, name, "ptrc attach -f -o FILE",
                           self.attached(argv, lambda pid: [self.ptrc, "attach", "-f", "-o",
                                                            self.out("ptrc.out"), str(pid)],
                                         "ptrc.out"),
                           na=self.ptrc_na(), role="ptrc")
            if name.startswith(("getppid_loop", "rw_loop")):
                row.goals.append(("<= 1.10x floor", "floor", 1.10))
            if not name.startswith("cpu_loop"):
                row.goals.append(("<= 1.05x floor --info", "floor-info", 1.05))

    def scenario_own_syscalls(self):
        """Per syscall of the workload, the syscalls of the tracer itself
        (own_syscalls.py); "x floor" is against floor --info's."""
        strace_na = self.need("strace")
        counter = own_syscalls.Counter(self.out, self.timeout)
        sc = "1 own syscalls"
        for name, argv, metric in self.workloads():
            if name.startswith("cpu_loop"):
                continue  # hardly a syscall
            self.add(sc, name, "floor --info",
                     self.counted(counter, [self.bins["floor_tracer"], "--info"], argv),
                     na=strace_na, unit="per", role="floor")
            self.add(sc, name, "strace -f -o FILE",
                     self.counted(counter, ["strace", "-f", "-o", self.out("strace.out")],
                                  argv, "strace.out"),
                     na=strace_na, unit="per", role="strace")
            self.add(sc, name, "ptrc run -f -o FILE",
                     self.counted(counter, [self.ptrc, "run", "-f", "-o",
                                            self.out("ptrc.out"), "--"], argv, "ptrc.out"),
                     na=strace_na or self.ptrc_na(), unit="per", role="ptrc")

    def counted(self, counter, tracer_argv, workload_argv, outname=None):
        measure = counter.measure(tracer_argv, workload_argv)

        def counted_once():
            try:
                return measure()
            except (own_syscalls.CountError, subprocess.TimeoutExpired) as e:
                raise RunError(str(e))
            finally:
                if outname:
                    self.cleanup_out(outname)
        return counted_once

    def scenario_filter(self):
        strace_na = self.need("strace")
        for name, argv, metric in self.workloads(fast=True):
            sc = "2 trace=write"
            self.add(sc, name, "native", self.cmd(argv, metric), role="native")
            self.add(sc, name, "floor seccomp",
                     self.cmd([self.bins["floor_tracer"], "--seccomp-write"] + argv, metric),
                     na=None if platform.machine() == "x86_64" else "n/a: x86_64 only",
                     role="floor")
            self.add(sc, name, "strace --seccomp-bpf -f -e trace=write",
                     self.cmd(["strace", "--seccomp-bpf", "-f", "-e", "trace=write",
                               "-o", self.out("strace.out")] + argv, metric, "strace.out"),
                     na=strace_na, role="strace")
            row = self.add(sc, name, "ptrc run -f -e trace=write",
                           self.cmd([self.ptrc, "run", "-f", "-e", "trace=write", "-o",
                                     self.out("ptrc.out"), "--"] + argv, metric, "ptrc.out"),
                           na=self.ptrc_na(), role="ptrc")
            if name.startswith("getppid_loop"):
                row.goals.append(("<= 1.3x native", "native", 1.3))
            row.goals.append(("<= 1.0x strace", "strace", 1.0))
            if self.f["no_seccomp"]:
                self.add(sc, name, "ptrc run -f -e trace=write --no-seccomp",
                         self.cmd([self.ptrc, "run", "-f", "-e", "trace=write",
                                   "--no-seccomp", "-o", self.out("ptrc.out"), "--"] + argv,
                                  metric, "ptrc.out"), role="ptrc-noseccomp")

    def scenario_crash(self):
        for name, argv, metric in self.workloads(fast=True):
            sc = "3 crash"
            self.add(sc, name, "native", self.cmd(argv, metric), role="native")
            self.add(sc, name, "floor --cont",
                     self.cmd([self.bins["floor_tracer"], "--cont"] + argv, metric),
                     role="floor")
            row = self.add(sc, name, "ptrc run -f --crash",
                           self.cmd([self.ptrc, "run", "-f", "--crash", "-o",
                                     self.out("ptrc.out"), "--"] + argv, metric, "ptrc.out"),
                           na=self.ptrc_na("crash", "--crash"), role="ptrc")
            row.goals.append(("<= 1.02x native", "native", 1.02))

    def stack_rows(self, sc, target_name, target_argv_fn):
        target = None

        def pid():
            nonlocal target
            if target is None:
                target = Target(self.prefix, target_argv_fn())
                self.targets.append(target)
            return target.pid()

        def tool(argv_fn, expect_rc=(0, 1)):
            def measure():
                return run_command(self.prefix + argv_fn(pid()), "wall",
                                   self.timeout, expect_rc)
            return measure

        eu_na = self.need("eu-stack")
        self.add(sc, target_name, "eu-stack -p",
                 tool(lambda p: ["eu-stack", "-p", str(p)]), na=eu_na, unit="ms",
                 role="eu-stack")
        self.add(sc, target_name, "eu-stack -s -i -p",
                 tool(lambda p: ["eu-stack", "-s", "-i", "-p", str(p)]), na=eu_na,
                 unit="ms", role="eu-stack-si")
        self.add(sc, target_name, "gdb -batch -p PID -ex 'thread apply all bt'",
                 tool(lambda p: ["gdb", "-batch", "-nx", "-p", str(p),
                                 "-ex", "thread apply all bt"], (0,)),
                 na=self.need("gdb"), unit="ms", role="gdb")
        row = self.add(sc, target_name, "ptrc stack",
                       tool(lambda p: [self.ptrc, "stack", str(p)]),
                       na=self.ptrc_na("stack", "ptrc stack"), unit="ms", role="ptrc")
        row.goals.append(("<= 0.5x eu-stack -s -i", "eu-stack-si", 0.5))
        row.goals.append(("<= 0.15x gdb", "gdb", 0.15))

    def scenario_stack(self):
        fixture = os.path.join(self.build, "fixtures", "stack_threads")
        sc = "4 stack"
        if os.access(fixture, os.X_OK):
            self.stack_rows(sc, "stack_threads (8 threads)", lambda: [fixture])
        else:
            self.add(sc, "stack_threads (8 threads)", "all",
                     None, na="n/a: no %s (build first)" % fixture)
        big = {}

        def big_argv():
            if "exe" not in big:
                big["exe"] = build_big_program(self.build, self.tmp,
                                               self.size["big_functions"])
            return [big["exe"]]
        self.stack_rows(sc, "big_debug (%d functions, -O2 -g)" % self.size["big_functions"],
                        big_argv)

    def scenario_latency(self):
        fixture = os.path.join(self.build, "fixtures", "stack_threads")
        na = self.ptrc_na("crash", "--crash")
        if not na and not os.access(fixture, os.X_OK):
            na = "n/a: no %s" % fixture

        def measure():
            out = self.out("crash.out")
            proc = subprocess.Popen(self.prefix + [self.ptrc, "run", "--crash", "-o", out,
                                                   "--", fixture],
                                    stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, preexec_fn=no_core)
            try:
                if proc.stdout.readline().strip() != b"ready":
                    raise RunError("stack_threads did not start under ptrc")
                with open("/proc/%d/task/%d/children" % (proc.pid, proc.pid)) as f:
                    kids = [int(x) for x in f.read().split()]
                if len(kids) != 1:
                    raise RunError("no child of ptrc found")
                time.sleep(0.05)
                start = time.perf_counter()
                os.kill(kids[0], signal.SIGSEGV)
                # Until ptrc exits; meanwhile note when the report last grew.
                size, last_growth = 0, None
                deadline = start + min(self.timeout, 30)
                while proc.poll() is None and time.perf_counter() < deadline:
                    try:
                        now_size = os.path.getsize(out)
                    except OSError:
                        now_size = 0
                    if now_size != size:
                        size, last_growth = now_size, time.perf_counter() - start
                    time.sleep(0.0005)
                latency = time.perf_counter() - start
                if proc.poll() is None:
                    raise RunError("ptrc did not exit within %d s of the SIGSEGV (report "
                                   "%s)" % (min(self.timeout, 30),
                                            "last written after %.0f ms" %
                                            (last_growth * 1000) if last_growth else
                                            "not written"))
                size = os.path.getsize(out) if os.path.exists(out) else 0
                if size == 0:
                    raise RunError("no crash report written (ptrc exited %d)" %
                                   proc.returncode)
                return dict(value=latency, wall=latency, output_bytes=size,
                            rc=proc.returncode, report_last_written=last_growth)
            finally:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
                proc.stdout.close()
                proc.stderr.close()
                self.cleanup_out("crash.out")
        row = self.add("5 crash latency", "stack_threads, kill -SEGV",
                       "ptrc run --crash", measure, na=na, unit="ms", role="ptrc")
        row.goals.append(("<= 25 ms", "abs", 0.025))

    def scenario_k(self):
        n = self.size["k_calls"]
        argv = [self.bins["getppid_loop"], str(n)]
        name = "getppid_loop %d" % n
        sc = "6 -k"
        self.add(sc, name, "native", self.cmd(argv, "self"), role="native")
        self.add(sc, name, "floor", self.cmd([self.bins["floor_tracer"]] + argv, "self"),
                 role="floor")
        self.add(sc, name, "strace -f -k -o FILE",
                 self.cmd(["strace", "-f", "-k", "-o", self.out("strace.out")] + argv,
                          "self", "strace.out"), na=self.need("strace"), role="strace")
        row = self.add(sc, name, "ptrc run -f -k -o FILE",
                       self.cmd([self.ptrc, "run", "-f", "-k", "-o", self.out("ptrc.out"),
                                 "--"] + argv, "self", "ptrc.out"),
                       na=self.ptrc_na("k", "-k"), role="ptrc")
        row.goals.append(("<= 0.5x strace -k", "strace", 0.5))

    def scenario_memory(self):
        n = self.size["mem_calls"]
        argv = [self.bins["getppid_loop"], str(n), "100"]
        name = "getppid_loop %d, 100 threads" % n

        def rss(extra):
            # Through the maxrss helper: ptrc's own peak, the workload is
            # not its child.
            rss_file = self.out("maxrss.txt")
            measure = self.attached(
                argv, lambda pid: [self.bins["maxrss"], rss_file, self.ptrc, "attach",
                                   "-f"] + extra + ["-o", self.out("ptrc.out"), str(pid)],
                "ptrc.out")

            def peak():
                result = measure()
                with open(rss_file) as f:
                    m = re.match(r"maxrss_kib=(\d+)", f.read())
                os.unlink(rss_file)
                if not m:
                    raise RunError("maxrss gave no figure")
                result["seconds"] = result["value"]
                result["value"] = int(m.group(1)) / 1024.0
                return result
            return peak
        self.add("mem", name, "ptrc attach: peak RSS", rss([]), na=self.ptrc_na(),
                 unit="MiB", role="ptrc-nok")
        row = self.add("mem", name, "ptrc attach -k: peak RSS", rss(["-k"]),
                       na=self.ptrc_na("k", "-k"), unit="MiB", role="ptrc")
        row.goals.append(("< 20 MiB", "abs", 20.0))

    def scenario_lcall(self):
        n = self.size["lcalls"]
        argv = [self.bins["lcall_loop"], str(n)]
        name = "lcall_loop %d" % n
        sc = "7 lcall"
        rows = [
            self.add(sc, name, "native", self.cmd(argv, "self"), role="native"),
            self.add(sc, name, "ltrace -e lcfix_add -o /dev/null",
                     self.cmd(["ltrace", "-e", "lcfix_add", "-o", "/dev/null"] + argv, "self"),
                     na=self.need("ltrace"), role="ltrace"),
            self.add(sc, name, "ptrc run -l lcfix_add -o /dev/null",
                     self.cmd([self.ptrc, "run", "-l", "lcfix_add", "-o", "/dev/null",
                               "--"] + argv, "self"),
                     na=self.ptrc_na("lcall", "-l"), role="ptrc"),
        ]
        for row in rows:
            row.calls = n

    def build_all(self):
        self.scenario_run()
        self.scenario_attach()
        self.scenario_own_syscalls()
        self.scenario_filter()
        self.scenario_crash()
        self.scenario_stack()
        self.scenario_latency()
        self.scenario_k()
        self.scenario_lcall()
        self.scenario_memory()
        if self.args.only:
            pattern = re.compile(self.args.only)
            self.rows = [r for r in self.rows
                         if pattern.search("%s | %s | %s" % (r.scenario, r.workload, r.tool))]

    # -- running ----------------------------------------------------------

    def run(self):
        groups = []
        for row in self.rows:
            if not groups or groups[-1][0].key() != row.key():
                groups.append([])
            groups[-1].append(row)
        for rep in range(self.args.reps):
            for group in groups:
                # A row that failed once is not run again.
                live = [r for r in group if not r.na and not r.error]
                # Stack snapshots are short: several per repetition.
                inner_reps = self.size["stack_reps"] if group[0].scenario == "4 stack" else 1
                # Rotate the order each repetition: A/B/C, B/C/A, ...
                for inner in range(inner_reps):
                    k = (rep + inner) % len(live) if live else 0
                    for row in live[k:] + live[:k]:
                        self.once(row, rep)
        for target in self.targets:
            target.stop()

    def once(self, row, rep):
        if self.args.verbose:
            print("rep %d: %s | %s | %s" % (rep + 1, row.scenario, row.workload, row.tool),
                  file=sys.stderr, flush=True)
        try:
            result = row.measure()
        except NotApplicable as e:
            row.na = str(e)
            return
        except RunError as e:
            row.error = "error: %s" % e
            return
        row.samples.append(result["value"])
        row.extra.append(result)

    # -- results ----------------------------------------------------------

    def median(self, row):
        return statistics.median(row.samples) if row.samples else None

    def per_call_us(self, row, group):
        """Scenario 7: a tracer's cost per library call, (traced -
        native) / calls, in microseconds."""
        native = group.get("native")
        if row.calls is None or row.role == "native" or native is None:
            return None
        med, base = self.median(row), self.median(native)
        if med is None or base is None:
            return None
        return (med - base) / row.calls * 1e6

    def results(self):
        by_group = {}
        for row in self.rows:
            by_group.setdefault(row.key(), {})[row.role] = row
        out = []
        for row in self.rows:
            group = by_group[row.key()]
            med = self.median(row)

            def ratio(role):
                ref = group.get(role)
                if med is None or ref is None or self.median(ref) in (None, 0):
                    return None
                return med / self.median(ref)
            goals = []
            for text, against, limit in row.goals:
                value = med if against == "abs" else ratio(against)
                if med is None:
                    goals.append(dict(goal=text, value=None, met=None))
                else:
                    goals.append(dict(goal=text, value=value,
                                      met=None if value is None else value <= limit))
            out.append(dict(
                scenario=row.scenario, workload=row.workload, tool=row.tool,
                role=row.role, unit=row.unit, median=med, samples=row.samples,
                calls=row.calls, per_call_us=self.per_call_us(row, group),
                runs=row.extra, status=row.na or row.error or "ok",
                x_native=ratio("native") if row.role != "native" else None,
                x_floor=ratio("floor") if row.role not in ("native", "floor") else None,
                goals=goals))
        return out


def fmt_value(value, unit):
    if value is None:
        return ""
    if unit == "ms":
        return "%.1f ms" % (value * 1000)
    if unit == "MiB":
        return "%.1f MiB" % value
    if unit == "per":
        return "%.2f/call" % value
    if value < 0.01:
        return "%.2f ms" % (value * 1000)
    if value < 1:
        return "%.1f ms" % (value * 1000)
    return "%.2f s" % value


def fmt_ratio(value):
    if value is None:
        return ""
    return "%.2f" % value if value < 10 else "%.1f" % value


def fmt_goal(goal, unit):
    if goal["met"] is None:
        return goal["goal"] + ": ?"
    value = goal["value"]
    shown = (fmt_value(value, unit) if goal["goal"][:2] in ("<=", "< ") and
             ("ms" in goal["goal"] or "MiB" in goal["goal"]) else "%.2fx" % value)
    return "%s: %s %s" % (goal["goal"], shown, "met" if goal["met"] else "**NOT met**")


def table(results):
    lines = ["| scenario | workload | tool | median | x native | x floor | goal |",
             "| --- | --- | --- | ---: | ---: | ---: | --- |"]
    for r in results:
        if r["status"] != "ok":
            median = r["status"].replace("|", "/")
        else:
            median = fmt_value(r["median"], r["unit"])
        goal = "; ".join(fmt_goal(g, r["unit"]) for g in r["goals"]) \
            if r["status"] == "ok" else ""
        lines.append("| %s | %s | %s | %s | %s | %s | %s |" % (
            r["scenario"], r["workload"], r["tool"], median,
            fmt_ratio(r["x_native"]), fmt_ratio(r["x_floor"]), goal))
    return "\n".join(lines)


def per_call_table(results):
    """Scenario 7's cost per library call, and each tool's against
    ltrace's."""
    rows = [r for r in results if r["calls"] is not None and r["role"] != "native"]
    if not rows:
        return ""
    ltrace = [r["per_call_us"] for r in rows if r["role"] == "ltrace"]
    ltrace = ltrace[0] if ltrace and ltrace[0] else None
    lines = ["library calls (scenario 7): cost per call = (traced - native) / calls",
             "| workload | tool | per call | x ltrace |", "| --- | --- | ---: | ---: |"]
    for r in rows:
        cost = r["per_call_us"]
        lines.append("| %s | %s | %s | %s |" % (
            r["workload"], r["tool"],
            "%.2f us" % cost if cost is not None else r["status"].replace("|", "/"),
            fmt_ratio(cost / ltrace) if cost is not None and ltrace else ""))
    return "\n".join(lines)


def machine_note(args):
    cpus = os.cpu_count()
    model = ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return ("%s, kernel %s, %d CPUs (%s), load %s; --size %s --reps %d%s" % (
        platform.machine(), platform.release(), cpus, model,
        " ".join(open("/proc/loadavg").read().split()[:3]), args.size, args.reps,
        " --pin %d" % args.pin if args.pin is not None else ""))


def main():
    parser = argparse.ArgumentParser(
        description="Benchmark ptrc against native, the ptrace floor, strace, "
                    "eu-stack and gdb.")
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    parser.add_argument("--reps", type=int, default=5,
                        help="repetitions of every row, round-robin (default 5)")
    parser.add_argument("--pin", type=int, metavar="CPU",
                        help="run tracers and workloads on this CPU (taskset -c)")
    parser.add_argument("--build", help="meson build directory (default $PTRC_BUILD "
                        "or build/)")
    parser.add_argument("--ptrc", help="ptrc binary (default BUILD/src/ptrc)")
    parser.add_argument("--only", metavar="REGEX",
                        help="only rows whose 'scenario | workload | tool' matches")
    parser.add_argument("--json", metavar="FILE", help="save every sample here")
    parser.add_argument("--timeout", type=int, default=600,
                        help="seconds for one run (default 600)")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="say what runs, on stderr")
    args = parser.parse_args()
    if args.reps < 1:
        parser.error("--reps must be at least 1")
    if args.pin is not None and not shutil.which("taskset"):
        parser.error("--pin needs taskset (util-linux)")

    build = find_build(args)
    ptrc = os.path.abspath(args.ptrc) if args.ptrc else os.path.join(build, "src", "ptrc")
    tmp = tempfile.mkdtemp(prefix="ptrc-bench.")
    try:
        bins = compile_bench_programs(build, tmp)
        features = probe_ptrc(ptrc)
        plan = Plan(args, build, bins, ptrc, features, tmp)
        plan.build_all()
        started = time.time()
        plan.run()
        results = plan.results()
        note = machine_note(args)
        print("ptrc: %s (%s)" % (ptrc, ", ".join(
            k for k in ("crash", "stack", "k", "no_seccomp", "lcall") if features[k]) or
            "no optional features" if features["present"] else "missing"))
        print("machine: %s; %.0f s" % (note, time.time() - started))
        print()
        print(table(results))
        extra = per_call_table(results)
        if extra:
            print()
            print(extra)
        if args.json:
            with open(args.json, "w") as f:
                json.dump(dict(machine=note, ptrc=ptrc, size=args.size, reps=args.reps,
                               pin=args.pin, sizes=SIZES[args.size], results=results),
                          f, indent=1)
    finally:
        for target in getattr(locals().get("plan"), "targets", []):
            target.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
