"""Scenario "1 own syscalls" of tests/bench/run.py: the syscalls a tracer
itself makes per syscall of the workload it traces, counted by
`strace -c` on the tracer alone (not -f: the workload stays free for the
tracer to trace). A count does not depend on the machine's load, unlike
the times of scenario 1, so it shows what a change to ptrc's hot path
costs or saves even on a noisy machine.

The denominator is the workload's own syscall count, taken once per
workload from `strace -f -c` of the workload alone. The tracer's start-up
syscalls are counted too (a few hundred: they matter only for short
workloads such as tar).
"""
import os
import subprocess


class CountError(Exception):
    pass


def total_calls(summary_path):
    """The calls column of the "total" line of a `strace -c -o FILE`
    summary, and the per-syscall counts."""
    per = {}
    total = None
    with open(summary_path) as f:
        for line in f:
            fields = line.split()
            if not fields or not fields[0][0].isdigit():
                continue
            if fields[-1] == "total":
                total = int(fields[3])
            elif len(fields) >= 5:
                per[fields[-1]] = int(fields[3])
    if total is None:
        raise CountError("no total line in strace -c's summary")
    return total, per


def run_counted(argv, summary_path, timeout, env=None):
    """Run ARGV under strace -c (the first process only) to completion.
    An ASan build's leak checker cannot run under a tracer (it ptraces its
    own process at exit): it is turned off for the count."""
    env = dict(os.environ if env is None else env)
    env["ASAN_OPTIONS"] = ":".join(filter(None, [env.get("ASAN_OPTIONS"),
                                                 "detect_leaks=0"]))
    proc = subprocess.run(["strace", "-c", "-o", summary_path, "--"] + argv,
                          stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, timeout=timeout, env=env)
    if proc.returncode != 0:
        # one line: the message goes into a table cell
        lines = proc.stderr.decode(errors="replace").strip().splitlines()
        raise CountError("%s exited %d: %s" % (
            os.path.basename(argv[0]), proc.returncode,
            lines[-1][:200] if lines else ""))
    return total_calls(summary_path)


class Counter:
    """The workloads' own syscall counts, measured once each."""

    def __init__(self, out, timeout):
        self.out = out
        self.timeout = timeout
        self.workload_calls = {}

    def workload(self, argv):
        key = tuple(argv)
        if key not in self.workload_calls:
            path = self.out("own-workload.txt")
            proc = subprocess.run(["strace", "-f", "-c", "-o", path, "--"] + argv,
                                  stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE, timeout=self.timeout)
            if proc.returncode != 0:
                raise CountError("workload under strace -f -c exited %d" %
                                 proc.returncode)
            self.workload_calls[key] = total_calls(path)[0]
            os.unlink(path)
        return self.workload_calls[key]

    def measure(self, tracer_argv, workload_argv):
        """A measure function for run.py: the tracer's syscalls per
        workload syscall, with the counts of each syscall kept."""
        def measure():
            path = self.out("own-tracer.txt")
            total, per = run_counted(tracer_argv + workload_argv, path, self.timeout)
            os.unlink(path)
            calls = self.workload(workload_argv)
            top = sorted(per.items(), key=lambda kv: -kv[1])[:6]
            return dict(value=total / calls, tracer_calls=total, workload_calls=calls,
                        per_syscall={name: n / calls for name, n in top})
        return measure
