#!/usr/bin/env python3
"""A busy mail server under ptrc: Postfix with `smtpd -D` and a
debugger_command that runs ptrc on every smtpd, loaded by smtp-source.

    tests/load/run.py [--messages N] [--sessions S] [--procs P]
                      [--runs NAME,...] [--ptrc PATH] [--json FILE]

Runs (each on a fresh instance, see tests/load/scenario.py):
  baseline    no debugger_command
  crash       attach --background --crash -o DIR/$process_name.$process_id.log
  trace       attach --background -o DIR/$process_name.$process_id.trace
  segv        the crash recipe while traced smtpd processes get SIGSEGV at
              random: one report per crash, master restarts them, only the
              sessions in flight fail
  killtracer  the trace and crash recipes while ptrc processes get SIGKILL
              at random: their daemons serve on
  fullfs      the trace recipe writing to a small tmpfs that fills up: one
              mail.err record per tracer, the daemons unharmed

Every run checks: nothing lost (each accepted message delivered, counted
at the sink), no process of the instance left stopped, traced or running
after `postfix stop`, no tracer left, and no maillog warning that the
baseline does not have. Prints one table row per run and ends with
"N passed, N failed"; exit status 1 when a run failed. Needs root.
"""
import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import scenario as sc  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(HERE))
RECIPE = "PATH=/bin:/usr/bin:/usr/local/bin; @PTRC@ attach --background "
CRASH = RECIPE + "--crash -o @OUT@/$process_name.$process_id.log $process_id"
TRACE = RECIPE + "-o @OUT@/$process_name.$process_id.trace $process_id"
RUNS = ("baseline", "crash", "trace", "segv", "killtracer", "fullfs")
# Maillog records that say something went wrong.
TROUBLE = re.compile(r"\b(warning|error|fatal|panic):")
# Postfix's warnings about the machine, not about the run: the queue
# file system's clock ahead of the local one (a busy machine).
MACHINE = re.compile(r"file system clock is \d+ seconds? ahead of local clock|"
                     r"resetting file time stamps")


def run_one(name, args, base):
    """One run on a fresh instance; returns its LoadResult."""
    result = sc.LoadResult(name)
    root = os.path.join(base, name)
    out = os.path.join(root, "out")
    os.makedirs(out)
    os.chmod(out, 0o755)
    mounted = False
    if name == "fullfs":
        # Big enough for a few traces, too small for all of them.
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=%dk" % args.fullfs_kb,
                        "ptrc-load", out], check=True)
        mounted = True
    command = {"baseline": "", "crash": CRASH, "segv": CRASH,
               "trace": TRACE, "fullfs": TRACE,
               "killtracer": TRACE}[name].replace("@OUT@", out)
    sink = sc.Sink(os.path.join(root, "sink"))
    inst = sc.make_instance(os.path.join(root, "pf"), args.ptrc_copy, command,
                            args.procs, args.max_use, sink.port)
    disturbers = []
    try:
        inst.start()
        if name == "segv":
            disturbers.append(sc.Disturber(inst, "smtpd", signal.SIGSEGV,
                                           args.disturb_interval, 1))
        if name == "killtracer":
            disturbers.append(sc.Disturber(inst, "ptrc", signal.SIGKILL,
                                           args.disturb_interval, 2))
        sampler = sc.TracerSampler(inst)
        sampler.start()
        for d in disturbers:
            d.start()
        result.sent = args.messages
        result.seconds, result.failed, stderr = sc.drive(
            inst, args.messages, args.sessions)
        for d in disturbers:
            d.done.set()
            d.join()
        result.segv_sent = sum(d.sent for d in disturbers if d.comm == "smtpd")
        result.tracers_killed = sum(d.sent for d in disturbers if d.comm == "ptrc")
        sc.settle(inst, sink, result, timeout=120)
        check_running(inst, result)
        sampler.done.set()
        sampler.join()
        if sampler.rss_kb:
            rss = sorted(sampler.rss_kb.values())
            result.tracer_rss_kb_median = rss[len(rss) // 2]
            result.tracer_rss_kb_max = rss[-1]
            result.tracer_cpu_s = round(sum(sampler.cpu_s.values()), 2)
    finally:
        inst.stop(timeout=60)
        leftovers(inst, args.ptrc_copy, result)
        sink.stop()
        collect(inst, out, name, result)
        if mounted:
            subprocess.run(["umount", "-l", out])
    judge(name, result, stderr if result.seconds else "")
    return result


def check_running(inst, result):
    """Before `postfix stop`: nothing of the instance sits in a stop, and
    in the tracing runs no ptrc outlives its daemon (a ptrc whose smtpd has
    gone ends within a few seconds)."""
    # A crash report holds its process stopped while it is written.
    deadline = time.monotonic() + 15
    stopped = [p for p in inst.processes() if p[2] in "tT"]
    while stopped and time.monotonic() < deadline:
        time.sleep(0.2)
        stopped = [p for p in inst.processes() if p[2] in "tT"]
    result.stopped_left = stopped
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        smtpds = set(sc.pids_of("smtpd", inst))
        orphans = [p for p in sc.pids_of("ptrc", inst)
                   if not traced_smtpd(p, smtpds)]
        if not orphans:
            return
        time.sleep(0.2)
    result.problems.append("ptrc processes outlived their smtpd: %s" % orphans)


def traced_smtpd(tracer, smtpds):
    return any(sc.status_of(s, "TracerPid") == str(tracer) for s in smtpds)


def leftovers(inst, ptrc, result):
    """After `postfix stop`: anything of the instance still there."""
    deadline = time.monotonic() + 20
    left = inst.processes()
    while left and time.monotonic() < deadline:
        time.sleep(0.2)
        left = [p for p in inst.processes() if p[2] != "Z"]
    result.tracers_left = len([p for p in left if p[1] == "ptrc"])
    result.traced_left = [p for p in left
                          if sc.status_of(p[0], "TracerPid") not in (None, "0")]
    if left:
        result.problems.append("left running after postfix stop: %s" % left)
    for pid, _, _, _ in left:
        for sig in (signal.SIGCONT, signal.SIGKILL):
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass


def collect(inst, out, name, result):
    recs = sc.records(inst)
    result.smtpd_started = len({pid for prog, pid, _ in recs
                                if prog == "postfix/smtpd"})
    result.debugger_runs = len([1 for prog, _, text in recs
                                if prog == "postfix/smtpd" and text.startswith("running: ")])
    result.errors = [text for prog, _, text in recs
                     if TROUBLE.search(text) and not MACHINE.search(text)]
    files = os.listdir(out)
    result.tracers_seen = len(files)
    if name in ("crash", "segv"):
        # SIGSEGV reports; `postfix stop` gives the smtpd processes still
        # running master's SIGTERM, which gets a line, not a report.
        result.crash_reports = sum(
            len(re.findall(r"^ +Signal: SIGSEGV ", open(
                os.path.join(out, f), errors="replace").read(), re.M))
            for f in files)
    result.trace_incomplete = []
    if name == "trace":
        for f in files:
            text = open(os.path.join(out, f), errors="replace").read()
            if not re.search(r"^\+\+\+ (exited with \d+|killed by SIG\w+)", text, re.M):
                result.trace_incomplete.append(f)
    result.ptrc_errors = [(pid, text) for prog, pid, text in recs if prog == "ptrc"]


def judge(name, result, stderr):
    p = result.problems
    if result.delivered != result.accepted:
        p.append("accepted %d, delivered %d" % (result.accepted, result.delivered))
    if result.stopped_left:
        p.append("stopped processes: %s" % result.stopped_left)
    if result.traced_left or result.tracers_left:
        p.append("tracers left: %d, traced: %s" % (result.tracers_left,
                                                   result.traced_left))
    expected_failures = name == "segv"
    if not expected_failures and (result.failed or result.accepted != result.sent):
        p.append("sent %d, accepted %d, client errors %d: %s" % (
            result.sent, result.accepted, result.failed, stderr[-500:]))
    if expected_failures and result.accepted + result.failed < result.sent:
        p.append("sent %d, accepted %d, client errors %d: lost sessions" % (
            result.sent, result.accepted, result.failed))
    if expected_failures and result.failed > result.segv_sent:
        p.append("%d sessions failed for %d smtpd killed: more than the "
                 "sessions in flight" % (result.failed, result.segv_sent))
    allowed = r"killed by signal 11" if name == "segv" else r"$^"
    unexpected = [e for e in result.errors if not re.search(allowed, e)]
    if unexpected:
        p.append("maillog: %s" % unexpected[:5])
    if name != "baseline" and result.debugger_runs != result.smtpd_started:
        p.append("%d smtpd, %d debugger_command runs" % (
            result.smtpd_started, result.debugger_runs))
    if name == "segv":
        killed = len([e for e in result.errors if "killed by signal 11" in e])
        if killed != result.crash_reports:
            p.append("%d smtpd killed by SIGSEGV, %d crash reports" % (
                killed, result.crash_reports))
        if not killed:
            p.append("no smtpd was killed: the run proves nothing")
    if name == "trace" and result.trace_incomplete:
        p.append("traces without their exit line: %s" % result.trace_incomplete[:5])
    if name == "killtracer" and not result.tracers_killed:
        p.append("no tracer was killed: the run proves nothing")
    if name == "fullfs":
        full = [pid for pid, e in result.ptrc_errors if "No space left" in e]
        if not full:
            p.append("no tracer reported the full filesystem: %s" %
                     result.ptrc_errors[:3])
        if len(set(full)) != len(full):
            p.append("a tracer reported the full filesystem more than once")


def table(results, baseline):
    head = ("run", "sent", "accepted", "delivered", "client err", "seconds",
            "msg/s", "vs base", "smtpd", "tracers", "reports", "left", "result")
    print("%-10s %5s %8s %9s %10s %7s %6s %7s %5s %7s %7s %4s  %s" % head)
    for r in results:
        ratio = (r.throughput / baseline.throughput) if baseline and \
            baseline.throughput else 0
        print("%-10s %5d %8d %9d %10d %7.1f %6.1f %7s %5d %7d %7d %4d  %s" % (
            r.name, r.sent, r.accepted, r.delivered, r.failed, r.seconds,
            r.throughput, "%.2f" % ratio if ratio else "-", r.smtpd_started,
            r.tracers_seen, r.crash_reports,
            len(r.stopped_left) + len(r.traced_left) + r.tracers_left,
            "ok" if not r.problems else "FAIL"))
        if getattr(r, "tracer_rss_kb_max", None):
            print("    %s: tracers' RSS median %d KiB, max %d KiB; their CPU "
                  "%.2f s in all (%.2f ms a message)" % (
                      r.name, r.tracer_rss_kb_median, r.tracer_rss_kb_max,
                      r.tracer_cpu_s, 1000 * r.tracer_cpu_s / max(r.sent, 1)))
        for problem in r.problems:
            print("    %s: %s" % (r.name, problem))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--messages", type=int, default=2000)
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--procs", type=int, default=20)
    ap.add_argument("--max-use", type=int, default=100,
                    help="sessions per smtpd before it exits (Postfix's default 100)")
    ap.add_argument("--runs", default=",".join(RUNS))
    ap.add_argument("--disturb-interval", type=float, default=0.3)
    ap.add_argument("--fullfs-kb", type=int, default=256)
    ap.add_argument("--ptrc", default=os.path.join(ROOT, "build", "src", "ptrc"))
    ap.add_argument("--json")
    ap.add_argument("--keep", action="store_true",
                    help="keep the instances, logs and traces (path printed)")
    args = ap.parse_args()
    runs = args.runs.split(",")
    for r in runs:
        if r not in RUNS:
            ap.error("unknown run %r (runs: %s)" % (r, ", ".join(RUNS)))
    reason = sc.available()
    if reason:
        print("load: cannot run: %s" % reason, file=sys.stderr)
        return 2
    base = tempfile.mkdtemp(prefix="ptrc-load-")
    os.chmod(base, 0o755)
    args.ptrc_copy = os.path.join(base, "ptrc")
    shutil.copy2(args.ptrc, args.ptrc_copy)
    os.chmod(args.ptrc_copy, 0o755)
    results = []
    try:
        for name in runs:
            print("load: run %s (%d messages, %d sessions)" % (
                name, args.messages, args.sessions), flush=True)
            results.append(run_one(name, args, base))
    finally:
        if args.keep:
            print("load: kept %s" % base)
        else:
            shutil.rmtree(base, ignore_errors=True)
    baseline = next((r for r in results if r.name == "baseline"), None)
    table(results, baseline)
    if args.json:
        with open(args.json, "w") as f:
            json.dump([r.as_dict() for r in results], f, indent=1)
    failed = len([r for r in results if r.problems])
    print("%d passed, %d failed" % (len(results) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
