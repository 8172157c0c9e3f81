#!/bin/sh
# The tests run inside the aarch64 guest (busybox sh), by /init.
# Prints "PASS NAME", "FAIL NAME: why" (with the output that failed) or
# "SKIP NAME: why" per test, and writes "N passed, N failed, N skipped" to
# /tmp/result. /ptrc-tests/env sets PTRC, FX (fixtures), BUILD and SRC.
D=${PTRC_GUEST_DIR:-/ptrc-tests}
. "$D/env"
passed=0 failed=0 skipped=0
T=/tmp/trace

# ptrc_verbose on the kernel command line (PTRC_GUEST_VERBOSE=1 for
# tests/guest/run): show the whole output of a failed test.
show=60
grep -qw ptrc_verbose /proc/cmdline 2>/dev/null && show=100000

pass() {
	echo "PASS $1"
	passed=$((passed + 1))
	known "$1" && echo "note: $1 passes: take it off tests/guest/aarch64/known-failures"
}
known() { # known NAME: listed in known-failures (reason in $known_why)
	known_why=$(grep -v '^#' "$D/known-failures" 2>/dev/null |
		awk -F '\t' -v n="$1" '$1 == n { print $2; exit }')
	[ -n "$known_why" ]
}
skip() { echo "SKIP $1: $2"; skipped=$((skipped + 1)); }
# fail NAME WHY [FILE...]: the files are shown, indented.
fail() {
	if known "$1"; then
		printf "XFAIL %s: %s (known: %s)\n" "$1" "$2" "$known_why"
		skipped=$((skipped + 1))
		[ "$show" -gt 60 ] || return 0
	else
		printf "FAIL %s: %s\n" "$1" "$2"
		failed=$((failed + 1))
	fi
	shift 2
	for f in "$@"; do
		[ -f "$f" ] || continue
		echo "    --- $f (last $show lines)"
		tail -n $show "$f" | sed 's/^/    | /'
	done
}

# Each check appends to $why; a test passes when $why stays empty.
why=
has() {   # has FILE EREGEX: a line of FILE matches
	grep -qE -- "$2" "$1" || why="$why; no line matches /$2/"
}
hasf() {  # hasf FILE STRING: a line of FILE contains STRING
	grep -qF -- "$2" "$1" || why="$why; no line contains '$2'"
}
hasnt() { # hasnt FILE EREGEX
	! grep -qE -- "$2" "$1" || why="$why; a line matches /$2/: $(grep -m1 -E -- "$2" "$1")"
}
count() { # count FILE EREGEX N: exactly N lines match
	n=$(grep -cE -- "$2" "$1")
	[ "$n" -eq "$3" ] || why="$why; $n lines match /$2/, not $3"
}
atleast() { # atleast FILE EREGEX N
	n=$(grep -cE -- "$2" "$1")
	[ "$n" -ge "$3" ] || why="$why; $n lines match /$2/, fewer than $3"
}
equals() { # equals WHAT GOT WANT
	[ "$2" = "$3" ] || why="$why; $1 is '$2', not '$3'"
}
# wait_until SECONDS CONDITION: true once the shell CONDITION holds, false
# when it still does not after SECONDS (polled every 50 ms): a handshake
# with a process, where a fixed sleep would guess at the guest's speed.
wait_until() {
	polls=$(($1 * 20))
	while ! eval "$2"; do
		polls=$((polls - 1))
		[ $polls -gt 0 ] || return 1
		sleep 0.05
	done
}
threads_of() { ls /proc/$1/task 2>/dev/null | wc -l; }
all_threads_sleep() { [ -z "$(grep -L '^State:[[:space:]]*S' /proc/$1/task/*/status 2>/dev/null)" ]; }
traced_threads_of() { grep -l '^TracerPid:[[:space:]]*[1-9]' /proc/$1/task/*/status 2>/dev/null | wc -l; }
done_test() { # done_test NAME FILES...: PASS, or FAIL with the files
	name=$1
	shift
	if [ -z "$why" ]; then pass "$name"; else fail "$name" "${why#; }" "$@"; fi
	why=
}

# ---- the C unit tests of meson test (tests.list lines from meson
# introspect: NAME<TAB>TIMEOUT<TAB>command). Their timeouts are for the
# build machine: emulated on a busy host, 4 times as long.
tab=$(printf '\t')
while IFS="$tab" read -r name timeout cmd; do
	log=/tmp/unit-$name.log
	timeout $((timeout * 4)) sh -c "$cmd" </dev/null >"$log" 2>&1
	rc=$?
	[ $rc -eq 143 ] && echo "timed out after $((timeout * 4)) s" >>"$log"
	if [ $rc -eq 0 ]; then
		pass "unit:$name"
	elif [ $rc -eq 77 ]; then
		skip "unit:$name" "exit 77"
	else
		fail "unit:$name" "exit status $rc" "$log"
	fi
done <"$D/unit-tests"

# Lines of a traced process start with "[pid N] " while it is not the only
# one; a call interrupted by another tracee's line is split into
# "NAME(ARGS <unfinished ...>" and "<... NAME resumed>REST".
P='^(\[pid +[0-9]+\] |[0-9]+ +)?'

# ---- trace: names and decoded arguments of aarch64 syscalls
"$PTRC" run -o $T.basic -- "$FX/fx_basic" 3 /tmp >/tmp/out.basic 2>&1
equals "exit status" "$?" 3
equals "stdout" "$(cat /tmp/out.basic)" "hello from fx_basic"
has $T.basic "^execve\(\"$FX/fx_basic\", .*= 0$"
has $T.basic '^openat\(AT_FDCWD, "/nonexistent/ptrc-fixture", .*= -1 ENOENT \(No such file or directory\)$'
hasf $T.basic 'write(1, "hello from fx_basic\n", 20)   = 20'
has $T.basic '^openat\(AT_FDCWD, "/tmp/ptrc-fx-basic.txt", .*= 3$'
hasf $T.basic 'write(3, "file contents\n", 14)         = 14'
has $T.basic '^lseek\(3, 0, .*= 0$'
has $T.basic '^read\(3, "file contents\\n", 64\) += 14$'
has $T.basic '^close\(3\) += 0$'
# aarch64 has no unlink(2), open(2), stat(2): the *at calls instead.
has $T.basic '^unlinkat\(AT_FDCWD, "/tmp/ptrc-fx-basic.txt", .*= 0$'
hasnt $T.basic '^(open|unlink|stat|arch_prctl)\('
has $T.basic '^mmap\('
has $T.basic '^set_tid_address\('
hasnt $T.basic 'syscall_0x'
has $T.basic '^exit_group\(3\) += \?$'
equals "last line" "$(tail -n 1 $T.basic)" "+++ exited with 3 +++"
done_test trace-basic $T.basic

# ---- the register fallback (kernels without PTRACE_GET_SYSCALL_INFO):
# PTRC_NO_SYSCALL_INFO=1 forces it; the trace must be the same, addresses,
# pids, random bytes and ld.so's ASLR-dependent unmaps (one or two) aside.
normalize() {
	sed -E '/^(set_tid_address|getrandom|munmap)\(/d; s/0x[0-9a-f]+/ADDR/g' "$1"
}
PTRC_NO_SYSCALL_INFO=0 "$PTRC" run -o $T.info -- "$FX/fx_basic" 3 /tmp >/dev/null 2>&1
PTRC_NO_SYSCALL_INFO=1 "$PTRC" run -o $T.regs -- "$FX/fx_basic" 3 /tmp >/dev/null 2>&1
equals "exit status" "$?" 3
normalize $T.info >/tmp/norm.info
normalize $T.regs >/tmp/norm.regs
diff /tmp/norm.info /tmp/norm.regs >/tmp/norm.diff 2>&1
equals "same trace" "$(cmp -s /tmp/norm.info /tmp/norm.regs && echo same)" same
hasf $T.regs 'write(1, "hello from fx_basic\n", 20)   = 20'
done_test trace-register-fallback /tmp/norm.diff

# ---- trace: string escaping and -s
"$PTRC" run -o $T.strings -s 8 -- "$FX/fx_strings" >/dev/null 2>&1
equals "exit status" "$?" 0
hasf $T.strings 'write(1, "tab\there"..., '
hasf $T.strings 'write(1, "\0\1\177\377", 4)'
hasf $T.strings 'write(1, "\00012", 3)'
hasf $T.strings 'write(1, "AAAAAAAA"..., 100)'
hasf $T.strings 'openat(AT_FDCWD, "/nonexistent/caf\303\251-\377", '
done_test trace-strings $T.strings

# ---- trace: fork and vfork followed with -f. aarch64 has no fork and
# vfork syscalls: glibc makes both with clone.
"$PTRC" run -f -o $T.fork -- "$FX/fx_fork" >/tmp/out.fork 2>&1
equals "exit status" "$?" 0
equals "stdout" "$(tr '\n' '|' </tmp/out.fork)" "child says hi|parent done|"
count $T.fork "${P}clone\(" 2
hasnt $T.fork "${P}v?fork\("
has $T.fork '^(\[pid +[0-9]+\] |[0-9]+ +)write\(1, "child says hi\\n", 14'
# (the parent's clone may return meanwhile: exit_group(7 <unfinished ...>)
has $T.fork '^(\[pid +[0-9]+\] |[0-9]+ +)exit_group\(7(\)| <unfinished)'
has $T.fork '^(\[pid +[0-9]+\] |[0-9]+ +)\+\+\+ exited with 7 \+\+\+$'
has $T.fork '^(\[pid +[0-9]+\] |[0-9]+ +)execve\("/bin/true", '
count $T.fork "${P}wait4\(" 2
has $T.fork "${P}--- SIGCHLD \{si_signo=SIGCHLD, si_code=CLD_EXITED, .*si_status=7"
has $T.fork "${P}--- SIGCHLD \{si_signo=SIGCHLD, si_code=CLD_EXITED, .*si_status=0"
has $T.fork "${P}"'exit_group\(0\) += \?$'
equals "last line" "$(tail -n 1 $T.fork | sed -E 's/^[0-9]+ +//')" "+++ exited with 0 +++"
done_test trace-fork-f $T.fork

"$PTRC" run -o $T.nofork -- "$FX/fx_fork" >/dev/null 2>&1
equals "exit status" "$?" 0
hasnt $T.nofork '^\[pid'
hasnt $T.nofork 'child says hi'
count $T.nofork '^clone\(' 2
equals "last line" "$(tail -n 1 $T.nofork)" "+++ exited with 0 +++"
done_test trace-fork-without-f $T.nofork

# ---- trace: exec, by the leader and by a second thread (pid switch)
"$PTRC" run -o $T.exec -- "$FX/fx_exec" leader "$FX/fx_basic" >/tmp/out.exec 2>&1
equals "exit status" "$?" 0
count $T.exec '^execve\(' 2
has $T.exec "^execve\(\"$FX/fx_basic\", .*= 0$"
hasf $T.exec 'write(1, "hello from fx_basic\n", 20)   = 20'
equals "last line" "$(tail -n 1 $T.exec)" "+++ exited with 0 +++"
done_test trace-exec-leader $T.exec

"$PTRC" run -o $T.exect -- "$FX/fx_exec" thread "$FX/fx_basic" >/tmp/out.exect 2>&1
equals "exit status" "$?" 0
has $T.exect "${P}execve\(\"$FX/fx_basic\", "
has $T.exect 'superseded by execve'
hasf $T.exect 'write(1, "hello from fx_basic\n", 20)'
has $T.exect "${P}\+\+\+ exited with 0 \+\+\+$"
done_test trace-exec-thread $T.exect /tmp/out.exect

# ---- trace: threads are followed, each line under its tid
"$PTRC" run -o $T.threads -- "$FX/fx_threads" 4 5 >/tmp/out.threads 2>&1
equals "exit status" "$?" 0
tids=$(grep -E '^(\[pid +[0-9]+\] |[0-9]+ +)write\([0-9]+, "thread-[0-9]\\n", 9' $T.threads |
	grep -oE '^(\[pid +[0-9]+\]|[0-9]+ )' | sort -u | wc -l)
equals "threads seen writing" "$tids" 4
count $T.threads "${P}write\([0-9]+, \"thread-[0-9]\\\\n\", 9" 20
has $T.threads "${P}clone3?\("
done_test trace-threads $T.threads

# ---- trace: signals
"$PTRC" run -f -o $T.signal -- "$FX/fx_signal" all >/tmp/out.signal 2>&1
equals "exit status" "$?" 0
has $T.signal "${P}"'rt_sigaction\((SIGUSR1|10), '
has $T.signal "${P}"'--- SIGUSR1 \{si_signo=SIGUSR1, si_code=SI_TKILL, '
# the mask restored from the signal frame (SIGRTMIN+5 = 39 = RT_7)
has $T.signal "${P}"'rt_sigreturn\(\{mask=\[HUP TERM RT_7\]\}\) +='
has $T.signal "${P}--- SIGSEGV \{si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=(0|NULL)\} ---$"
has $T.signal "${P}\+\+\+ killed by SIGSEGV"
has $T.signal "${P}\+\+\+ killed by SIGTERM"
done_test trace-signals $T.signal /tmp/out.signal

# ---- trace: JSON Lines
if "$PTRC" --help 2>&1 | grep -q -- --json; then
	"$PTRC" run --json -o $T.json -- "$FX/fx_basic" >/dev/null 2>&1
	equals "exit status" "$?" 0
	has $T.json '"openat"'
	has $T.json '"unlinkat"'
	hasnt $T.json 'syscall_0x'
	done_test trace-json $T.json
fi

# ---- attach to a running multi-threaded process, then detach
"$FX/fx_busy" 3 >/tmp/out.busy 2>&1 &
busy=$!
wait_until 2 '[ $(threads_of $busy) -eq 5 ]' || why="$why; fx_busy never had its 5 threads"
"$PTRC" attach -o $T.attach $busy 2>/tmp/err.attach &
tracer=$!
# Every thread traced, and each seen in a syscall, before the detach.
wait_until 2 '[ $(traced_threads_of $busy) -eq 5 ] &&
	[ $(grep -oE "^(\[pid +[0-9]+\]|[0-9]+ )" $T.attach 2>/dev/null | sort -u | wc -l) -ge 4 ]' ||
	why="$why; not every thread was seen traced within 2 s"
kill -INT $tracer
wait $tracer
equals "ptrc attach exit status" "$?" 0
wait $busy
equals "traced program exit status" "$?" 0
hasf /tmp/out.busy "fx_busy ok"
has $T.attach "${P}(getppid|clock_nanosleep|write|read)\("
atleast $T.attach '^(\[pid +[0-9]+\] |[0-9]+ +)' 4
done_test attach-detach $T.attach /tmp/err.attach /tmp/out.busy

# ---- library calls (-l)
if [ -f "$D/lcall-tests.sh" ]; then
	. "$D/lcall-tests.sh"
fi

# ---- crash reports and ptrc stack (where this ptrc has them)
if [ -f "$D/crash-tests.sh" ]; then
	. "$D/crash-tests.sh"
fi

echo "$passed passed, $failed failed, $skipped skipped" >"${PTRC_RESULT:-/tmp/result}"
