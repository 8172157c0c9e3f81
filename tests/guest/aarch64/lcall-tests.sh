# Library-call tracing (-l) in the aarch64 guest; sourced by guest-tests.sh
# (its helpers: has, count, equals, done_test...). The fixtures
# (fixtures/meson.build): liba64lcfix.so and a64_lcmain, which calls it,
# and the -pac pair built with -mbranch-protection=standard, whose
# functions start with bti c / paciasp (hints that do nothing on the
# cortex-a57, pointer authentication on -cpu max); a64_peek dumps another
# process's memory.

# lc_watch SECONDS LOG PID...: unless killed first, after SECONDS write the
# state of each PID's threads to LOG and SIGKILL them (a hang fails the
# test instead of the whole guest). Sets $watch.
lc_watch() {
	secs=$1 log=$2
	shift 2
	(
		sleep "$secs"
		for p in "$@"; do
			for task in /proc/$p/task/*; do
				[ -r "$task/stat" ] || continue
				echo "$p ${task##*/}: $(cut -d' ' -f3 "$task/stat") wchan=$(cat "$task/wchan" 2>/dev/null) $(grep -E '^(SigPnd|ShdPnd|TracerPid)' "$task/status" 2>/dev/null | tr '\n\t' '  ')"
			done
		done >"$log"
		"$PTRC" stack "$1" >>"$log" 2>&1
		kill -KILL "$@" 2>/dev/null
	) &
	watch=$!
}

# ret_line TEXT RET: a call line as ptrc prints it, "TEXT) " then "= RET"
# from column 40 on.
ret_line() { printf '%-40s= %s' "$1) " "$2"; }

for v in "" -pac; do
	main=$FX/a64_lcmain$v
	mod=liba64lcfix$v.so
	if [ ! -x "$main" ]; then
		skip "lcall-run$v" "no $main (no -mbranch-protection?)"
		skip "lcall-attach$v" "no $main"
		continue
	fi

	# ---- ptrc run -l: exact lines of the single-threaded part (nested
	# call included), then 4 threads of K calls each
	K=40
	"$PTRC" run -l 'lcfix_*' -o $T.lc$v -- "$main" run $K \
		>/tmp/out.lc$v 2>/tmp/err.lc$v
	equals "exit status" "$?" 0
	equals "stdout" "$(cat /tmp/out.lc$v)" "a64_lcmain ok"
	equals "stderr" "$(cat /tmp/err.lc$v)" ""
	equals "line 1" "$(sed -n 1p $T.lc$v)" "$(ret_line "lcfix_add@$mod(2, 3" 5)"
	equals "line 2" "$(sed -n 2p $T.lc$v)" "$(ret_line "lcfix_echo@$mod(\"hello\"" '"hello"')"
	# lcfix_outer has no prototype: 0x5, then other argument registers
	sed -n 3p $T.lc$v >/tmp/lc.line3
	has /tmp/lc.line3 "^lcfix_outer@$mod\(0x5(, [^<]*)? <unfinished \.\.\.>$"
	equals "line 4" "$(sed -n 4p $T.lc$v)" "$(ret_line "  lcfix_add@$mod(5, 7" 12)"
	equals "line 5" "$(sed -n 5p $T.lc$v)" "$(ret_line "<... lcfix_outer resumed>" 0xc)"
	count $T.lc$v "^lcfix_outer@" 1
	# the threads' calls: K per thread (lcfix_add(100 + thread, j)),
	# each returning its sum, in a line of its own or resumed later
	for i in 0 1 2 3; do
		count $T.lc$v "${P}lcfix_add@$mod\(10$i, [0-9]+(\) += [0-9]+| <unfinished \.\.\.>)$" $K
	done
	count $T.lc$v "${P} *lcfix_add@$mod\(" $((4 * K + 2))
	tids=$(grep -E "^(\[pid +[0-9]+\] |[0-9]+ +)lcfix_add@$mod\(10" $T.lc$v |
		grep -oE '^(\[pid +[0-9]+\]|[0-9]+ )' | sort -u | wc -l)
	equals "threads seen calling" "$tids" 4
	# Every return pairs with its thread's entry and has the right sum.
	sums=$(awk '
		{ pid = "main"; s = $0 }
		/^\[pid/ { pid = $2; sub(/^\[pid +[0-9]+\] /, "", s) }
		# -o'"'"'s column: "%-5d " (an -l indentation after it kept)
		/^[0-9]/ { match($0, /^[0-9]+/); pid = substr($0, 1, RLENGTH)
			s = substr($0, (RLENGTH < 5 ? 5 : RLENGTH) + 2) }
		s ~ /^ *lcfix_add@/ {
			a = s; sub(/^[^(]*\(/, "", a); split(a, x, /[,)< ]+/)
			sum = x[1] + x[2]; calls++
			if (s ~ /<unfinished \.\.\.>$/) { open[pid] = sum; next }
			r = s; sub(/.*= /, "", r)
			if (r + 0 == sum) good++; else print "bad: " $0
			next
		}
		s ~ /^<\.\.\. lcfix_add resumed>/ {
			r = s; sub(/.*= /, "", r)
			if ((pid in open) && r + 0 == open[pid]) good++
			else print "bad: " $0
			delete open[pid]
		}
		END { print good + 0, calls + 0 }' $T.lc$v)
	equals "right returns, calls" "$sums" "$((4 * K + 2)) $((4 * K + 2))"
	hasnt $T.lc$v '= \?$'
	hasnt $T.lc$v 'SIGTRAP'
	equals "last line" "$(tail -n 1 $T.lc$v | sed -E 's/^[0-9]+ +//')" "+++ exited with 0 +++"
	done_test "lcall-run$v" $T.lc$v /tmp/err.lc$v /tmp/out.lc$v

	# ---- ptrc attach -l, then SIGINT: the process runs on, its results
	# right, and the library's code is as it was (differing while traced)
	rm -f /tmp/lc.hang$v $T.lcattach$v
	"$main" loop >/tmp/out.lcloop$v 2>&1 &
	fx=$!
	wait_until 10 'grep -q "/$mod\$" /proc/$fx/maps 2>/dev/null' ||
		why="$why; $mod never mapped"
	range=$(awk -v m="$mod" '$2 ~ /x/ { n = split($6, p, "/")
		if (p[n] == m) { print $1; exit } }' /proc/$fx/maps)
	start=${range%-*} end=${range#*-}
	"$FX/a64_peek" $fx $start $end >/tmp/lc.text.before 2>/tmp/err.peek$v
	"$PTRC" attach -l 'lcfix_*' -o $T.lcattach$v $fx 2>/tmp/err.lcattach$v &
	tracer=$!
	lc_watch 40 /tmp/lc.hang$v $tracer $fx
	wait_until 10 'grep -q "lcfix_outer resumed" $T.lcattach$v 2>/dev/null'
	"$FX/a64_peek" $fx $start $end >/tmp/lc.text.during 2>>/tmp/err.peek$v
	kill -INT $tracer
	wait $tracer
	equals "ptrc attach exit status" "$?" 0
	sleep 0.5  # untraced now: a breakpoint left would kill it
	"$FX/a64_peek" $fx $start $end >/tmp/lc.text.after 2>>/tmp/err.peek$v
	kill -USR1 $fx
	wait $fx
	equals "traced program exit status" "$?" 0
	kill $watch 2>/dev/null
	[ ! -s /tmp/lc.hang$v ] || why="$why; hung (killed after 40 s)"
	has /tmp/out.lcloop$v '^a64_lcmain loop ok: [1-9][0-9]* calls$'
	equals "text size" "$(wc -c </tmp/lc.text.before)" $((0x$end - 0x$start))
	equals "text after detach" "$(cmp -s /tmp/lc.text.before /tmp/lc.text.after && echo same)" same
	equals "text while attached" "$(cmp -s /tmp/lc.text.before /tmp/lc.text.during || echo changed)" changed
	for f in lcfix_add lcfix_echo lcfix_outer; do
		atleast $T.lcattach$v "${P} *$f@$mod\(" 4
	done
	# the nested call, indented (often cut by another thread's line)
	has $T.lcattach$v "^(\[pid +[0-9]+\]   |[0-9]+ {3,})lcfix_add@$mod\([0-9]+, 7(\) += [0-9]+| <unfinished \.\.\.>)$"
	has $T.lcattach$v "^(\[pid +[0-9]+\] |[0-9]+ +)<\.\.\. lcfix_outer resumed>\) += 0x[0-9a-f]+$"
	hasnt $T.lcattach$v 'SIGTRAP|killed|cannot step'
	equals "stderr" "$(cat /tmp/err.lcattach$v)" ""
	done_test "lcall-attach$v" $T.lcattach$v /tmp/err.lcattach$v \
		/tmp/out.lcloop$v /tmp/err.peek$v /tmp/lc.hang$v
done
