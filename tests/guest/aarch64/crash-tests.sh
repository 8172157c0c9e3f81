# Crash reports and ptrc stack in the aarch64 guest; sourced by
# guest-tests.sh (its helpers: has, hasf, hasnt, equals, done_test...).
# Run twice by tests/guest/run aarch64: on a cortex-a57, and on a CPU with
# pointer authentication (-cpu max,pauth-impdef=on), where return addresses
# saved by PAC-enabled code (Debian's arm64 libc; everything of ptrc's
# cross build, see cross/aarch64-linux-gnu.ini) carry PAC bits.

pac=no
grep -qw paca /proc/cpuinfo && pac=yes
echo "pointer authentication: $pac"

# A frame line: "#N  0x<16 hex> in FUNC+0xOFF at FILE:LINE[:COL]", or
# "... in FUNC (inlined) at ...", or "... from MODULE" without lines, or
# "?? from [vdso: PID]+0xOFF" (aarch64's signal trampoline has no symbol).
# Anything else in a frame line (an address in no module, a function of
# ??) is what an unwinder that misread PAC bits would print.
FRAME='^#[0-9]+ +0x[0-9a-f]{16} in ([A-Za-z_][A-Za-z0-9_.]*(\+0x[0-9a-f]+| \(inlined\))( \(activation\))? (at [^ ]+:[0-9]+(:[0-9]+)?|from /[^ ]+)|\?\? from \[vdso[^]]*\]\+0x[0-9a-f]+)$'
# frames_sane FILE: every frame line has that form
frames_sane() {
	bad=$(grep -E '^#[0-9]' "$1" | grep -vE "$FRAME" | head -n 3)
	[ -z "$bad" ] || why="$why; frame lines of an unexpected form: $bad"
}
line_of() { # line_of FILE TEXT: the number of the first line holding TEXT
	grep -nF -- "$2" "$1" | head -n 1 | cut -d: -f1
}

if ! "$PTRC" --help 2>&1 | grep -q -- --crash; then
	skip crash-report "this ptrc has no --crash"
else
	src=$SRC/fixtures/fx_signal.c
	l_segv=$(line_of "$src" '*null = 1')
	for unwinder in libdw libunwind; do
		report=/tmp/crash-$unwinder.txt
		"$PTRC" run --crash --unwinder=$unwinder -o $report -- \
			"$FX/fx_signal" segv >/tmp/out.crash 2>&1
		equals "exit status" "$?" 139
		hasf $report '=== ptrc crash report ==='
		has $report 'Signal: SIGSEGV \{si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=(NULL|0x0|0)\}'
		has $report "Threads: 1 \(stacks by $unwinder\)"
		has $report '^Registers of thread [0-9]+:'
		has $report ' x30 0x[0-9a-f]{16}'
		has $report ' pc 0x[0-9a-f]{16}'
		has $report "^#0 +0x[0-9a-f]{16} in segfault\+0x[0-9a-f]+ at [^ ]*fx_signal\.c:${l_segv:-[0-9]+}(:[0-9]+)?$"
		has $report '^#1 +0x[0-9a-f]{16} in die_segv\+0x[0-9a-f]+ at [^ ]*fx_signal\.c:[0-9]+'
		has $report '^#2 +0x[0-9a-f]{16} in main\+0x[0-9a-f]+ at [^ ]*fx_signal\.c:[0-9]+'
		has $report ' in __libc_start_main\+0x[0-9a-f]+ at '
		has $report '/libc\.so\.6 build-id [0-9a-f]{40}'
		hasf $report '=== end of crash report ==='
		frames_sane $report
		[ "$show" -gt 60 ] && sed 's/^/    : /' $report
		done_test "crash-report-$unwinder" $report /tmp/out.crash
	done
fi

# A core of a crash: ptrc run --crash re-delivers the signal, the kernel
# writes the core, and ptrc report --core reads the same crash from it:
# the same signature and frames as the live report (test_core.py does the
# same natively; cores of aarch64 are read by libdwfl's aarch64 backend).
if [ -x "$FX/crash_null-O2" ] && "$PTRC" --help 2>&1 | grep -q -- '--core'; then
	for name in crash_null-O2 crash_abort-O2; do
		dir=/tmp/core-$name
		rm -rf $dir && mkdir -p $dir
		echo core >/proc/sys/kernel/core_pattern  # a file in the cwd
		(cd $dir && ulimit -c unlimited &&
			"$PTRC" run --crash -o $dir/live.txt -- "$FX/$name") \
			>/tmp/out.crash 2>&1
		corefile=$(ls $dir/core* 2>/dev/null | head -n 1)
		if [ -z "$corefile" ]; then
			why="$why; $name wrote no core"
		else
			"$PTRC" report --core "$corefile" -o $dir/core.txt \
				2>>/tmp/out.crash
			equals "report --core exit status" "$?" 0
			grep -E '^ *Signature: |^#' $dir/live.txt >$dir/live.frames
			grep -E '^ *Signature: |^#' $dir/core.txt >$dir/core.frames
			has $dir/core.frames '^#1 +0x[0-9a-f]{16} in '
			cmp -s $dir/live.frames $dir/core.frames ||
				why="$why; $name: the core's report differs from the live one: $(diff $dir/live.frames $dir/core.frames | head -n 6)"
		fi
		[ "$show" -gt 60 ] && sed 's/^/    : /' $dir/core.txt
		done_test "core-report-$name" $dir/core.txt /tmp/out.crash
	done
fi

# The same fixture built with -mbranch-protection=standard: on a CPU with
# PAC, die_segv's saved return address is signed. The crash report's frames
# are right, or the walk stops saying so: never a frame of a signed address.
if [ -x "$BUILD/fixtures-pac/fx_signal" ] && "$PTRC" --help 2>&1 | grep -q -- --crash; then
	report=/tmp/crash-pac.txt
	"$PTRC" run --crash -o $report -- "$BUILD/fixtures-pac/fx_signal" segv \
		>/tmp/out.crash 2>&1
	equals "exit status" "$?" 139
	has $report "^#0 +0x[0-9a-f]{16} in segfault\+0x[0-9a-f]+ at [^ ]*fx_signal\.c:${l_segv:-[0-9]+}(:[0-9]+)?$"
	has $report '^#1 +0x[0-9a-f]{16} in die_segv\+0x[0-9a-f]+ at [^ ]*fx_signal\.c:[0-9]+'
	if ! grep -qE '^#2 +0x[0-9a-f]{16} in main\+0x' $report; then
		has $report '^\(walk stopped: .*pointer authentication'
		echo "note: PAC: the walk stops at a signed return address:"
		grep -E '^#|^\(walk' $report | sed 's/^/    : /'
	fi
	frames_sane $report
	[ "$show" -gt 60 ] && sed 's/^/    : /' $report
	done_test "crash-report-pac-$pac" $report /tmp/out.crash
fi

# The faulting instruction (fixtures/crash_insn.c): the load or store at
# the pc disassembled and marked, its address computed from the registers
# (base + offset, an index register shifted...) naming si_addr; a call
# through NULL shows the blr before the return address in x30.
if [ -x "$FX/crash_insn-O2" ] && "$PTRC" --help 2>&1 | grep -q -- --crash; then
	for mode in index wild cross callnull; do
		report=/tmp/crash-insn-$mode.txt
		"$PTRC" run --crash -o $report -- "$FX/crash_insn-O2" $mode \
			>/tmp/out.crash 2>&1
		equals "exit status" "$?" 139
		has $report '^Faulting instruction:$'
		if [ $mode = callnull ]; then
			has $report '^=> 0x[0-9a-f]{16}( <[^>]*>)?:  blr '
			hasf $report 'si_addr is the pc'
		else
			has $report '^=> 0x[0-9a-f]{16} <[a-z_]+\+[0-9]+>:  (ldu?r|stu?r)'
			has $report '^    Access: operand, (read|write), [0-9]+ bytes? at 0x[0-9a-f]+ = x[0-9]+=0x[0-9a-f]+.*  <- si_addr$'
			# an unaligned load across the hole: the CPU may name
			# the hole's first byte (inside) or the load's start
			has $report '^   si_addr: (matches si_addr|si_addr 0x[0-9a-f]+ is inside the access)'
		fi
		[ "$show" -gt 60 ] && sed 's/^/    : /' $report
		done_test "crash-insn-$mode" $report /tmp/out.crash
	done
fi

# start_stack_threads PROGRAM: start it, sets $fixture once every thread
# sleeps in its place ("ready" comes just before main goes to its wait).
start_stack_threads() {
	rm -f /tmp/stack-ready
	mkfifo /tmp/stack-ready
	"$1" >/tmp/stack-ready &
	fixture=$!
	read -r ready </tmp/stack-ready
	wait_until 10 'all_threads_sleep $fixture' ||
		why="$why; stack_threads' threads did not all go to sleep"
}

if ! "$PTRC" --help 2>&1 | grep -q 'ptrc stack'; then
	skip stack "this ptrc has no stack command"
else
	src=$SRC/fixtures/stack_threads.c
	start_stack_threads "$FX/stack_threads"
	for unwinder in libdw libunwind; do
		out=/tmp/stack-$unwinder.txt
		"$PTRC" stack --unwinder=$unwinder -o $out $fixture 2>/tmp/err.stack
		rc=$?
		# 0: every stack walked whole; 1: some stopped early, with a
		# reason (the thread in a signal handler with libdw: see below).
		[ $rc -le 1 ] || why="$why; exit status $rc"
		has $out "^Thread $fixture \(stack_threads\):"
		has $out "in wait_here_0(\+0x[0-9a-f]+| \(inlined\)) at [^ ]*stack_threads\.c:$(line_of "$src" 'LINE:wait_here_0 ')"
		has $out "in wait_here_1(\+0x[0-9a-f]+| \(inlined\)) at [^ ]*stack_threads\.c:$(line_of "$src" 'LINE:wait_here_1 ')"
		has $out "in wait_here_3(\+0x[0-9a-f]+| \(inlined\)) at [^ ]*stack_threads\.c:$(line_of "$src" 'LINE:wait_here_3 ')"
		has $out "in inlined_wait \(inlined\) at [^ ]*stack_threads\.c:$(line_of "$src" 'LINE:inlined_wait ')"
		has $out "in wait_here_5(\+0x[0-9a-f]+| \(inlined\)) at [^ ]*stack_threads\.c:$(line_of "$src" 'LINE:wait_here_5 ')"
		count $out ' in recurse\+0x' 11
		atleast $out ' in thread_start\+0x' 8
		# libc's own frames, named through libc6-dbg's debug info
		has $out '^#0 +0x[0-9a-f]{16} in (clock_nanosleep|__GI___clock_nanosleep)'
		has $out ' in pthread_cond_wait'
		has $out ' in start_thread\+0x[0-9a-f]+ at '
		frames_sane $out
		# The signal handler's thread: the walk goes through the
		# signal frame, or stops there and says so: never a frame that
		# is not one.
		sig=$(sed -n '/(wait_6):$/,/^$/p' $out)
		if echo "$sig" | grep -q 'in wait_here_6'; then
			echo "$sig" | grep -q 'in on_signal+' ||
				why="$why; wait_6 has wait_here_6 but not on_signal"
		else
			echo "$sig" | grep -qiE 'stopped|cannot unwind|unwinding' ||
				why="$why; wait_6 stops before wait_here_6 without a reason"
			echo "note: $unwinder does not unwind through the signal frame:"
			echo "$sig" | sed 's/^/    : /'
		fi
		[ "$show" -gt 60 ] && sed 's/^/    : /' $out
		done_test "stack-$unwinder" $out /tmp/err.stack
	done
	kill -KILL $fixture
	wait $fixture 2>/dev/null
fi

# ptrc stack of the PAC-built stack_threads (libdw): every frame right, or
# the walk stops at a signed return address and says so.
if [ -x "$BUILD/fixtures-pac/stack_threads" ] && "$PTRC" --help 2>&1 | grep -q 'ptrc stack'; then
	start_stack_threads "$BUILD/fixtures-pac/stack_threads"
	out=/tmp/stack-pac.txt
	"$PTRC" stack -o $out $fixture 2>/tmp/err.stack
	rc=$?
	[ $rc -le 1 ] || why="$why; exit status $rc"
	has $out "^Thread $fixture \(stack_threads\):"
	has $out "in wait_here_1(\+0x[0-9a-f]+| \(inlined\)) at [^ ]*stack_threads\.c:$(line_of "$src" 'LINE:wait_here_1 ')"
	frames_sane $out
	if [ "$pac" = yes ]; then
		n=$(grep -c 'signed (pointer authentication)' $out)
		echo "note: PAC: $n of the threads' walks stop at a signed return address"
	fi
	[ "$show" -gt 60 ] && sed 's/^/    : /' $out
	done_test "stack-pac-$pac" $out /tmp/err.stack
	kill -KILL $fixture
	wait $fixture 2>/dev/null
fi
