#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Run the TTP selftests here (as root, with ttp.ko loaded: scripts/vm-run
# does both) and print TAP, one nested block a program as run_kselftest.sh
# does.  The last line is "# ttp: N passed, N failed, N skipped", counted
# over test cases; a program that dies or times out without reporting its
# cases counts as one failure.  Exit 1 if anything failed.
#
# Each program has a time limit (limit_of below).  One that exceeds it is
# a failure; before it is killed, the state of every TTP socket and the
# counters of every network namespace, and the program's tasks with their
# kernel stacks, are printed with its output (hang_report), so that a hang
# explains itself.
#
#   selftests/run.sh [--part I/N] [PROGRAM...]
#
# Default: every program of the Makefile.  --part I/N runs the I-th of N
# parts of them (scripts/check runs a lane's parts in VMs side by side):
# the programs go, the longest first, each to the part with the least work
# so far, by the seconds the COST column of the table below gives for this
# lane, so that every program is in exactly one part and the parts take
# about as long.
cd "$(dirname "$0")" || exit 1

part=
if [ "${1:-}" = --part ]; then
	part=${2:-}
	shift 2 || true
	if ! [[ $part =~ ^([1-9][0-9]*)/([1-9][0-9]*)$ ]] ||
		[ "${BASH_REMATCH[1]}" -gt "${BASH_REMATCH[2]}" ]; then
		echo "run.sh: --part needs I/N with 1 <= I <= N, not '$part'" >&2
		exit 2
	fi
fi

default_s=$(sed -n 's/^timeout=//p' settings)

# limit_of PROGRAM: its time limit in seconds on this lane.  Each figure is
# two to ten times what the program took on a two-core machine loaded with
# two CPU hogs (scripts/check --hog 2) and other VMs (a load average of 12
# to 17), where a program is at its slowest: ttp_reliable.sh 1191 s and
# ttp_hostile.sh 648 s on 6.1, ttp_module.sh 171 s, ttp_conn.sh 195 s,
# ttp_lifecycle.sh over 700 s on 6.12 (its 100,000 cycles at a fifteenth
# of their unloaded rate), the C programs under 90 s on the debug lane;
# nice'd beside the debug lane (scripts/check), ttp_conn.sh took 432 to
# 514 s on 6.12.  The harness's fuzzer may take 480 s.  A program missing
# here gets the default of the settings file, four times that on the debug
# lane.  Columns: program, its limit on 6.1 and 6.12 and on debug, then
# its COST there: the seconds it took on an idle two-core machine, which
# only --part reads.
# A "-" as the debug limit: the debug lane does not run the program
# unless it is named.  ttp_ttpperf.sh is a test of the tool's figures,
# half of them over TCP; what it asks of TTP (bulk streams, connections
# set up and closed in a loop) ttp_reliable.sh and ttp_lifecycle.sh ask
# there too.
# TTP_LIMIT_S=N gives every program N seconds instead (to see a report).
# table COLUMN PROGRAM: PROGRAM's figure in COLUMN (2 to 5) of the table.
table() {
	awk -v p="$2" -v col="$1" '$1 == p { print $col }' <<'LIMITS'
# program		limit		cost
#			deb.	debug	deb.	debug
ttp_socket_test		300	600	1	5
ttp_api_test		300	900	9	30
ttp_hostile_test	900	900	23	35
ttp_auth_test		300	900	20	40
ttp_kunit.sh		300	900	1	17
ttp_module.sh		900	1800	12	54
ttp_conn.sh		1800	1800	50	135
ttp_wire.py		300	600	5	10
ttp_hostile.sh		1800	2400	52	252
ttp_reliable.sh		3600	1800	289	541
ttp_gso.sh		900	1800	122	200
ttp_lifecycle.sh	2400	2400	135	200
ttp_stall.sh		1200	4800	22	60
ttp_icmp.sh		600	1200	60	150
ttp_trace.sh		600	1200	40	110
ttp_wireshark.sh	600	1200	20	60
ttp_ttpcat.sh		600	900	9	30
ttp_ttpstat.sh		300	600	6	20
ttp_ttprun.sh		900	1200	38	100
ttp_ttpperf.sh		600	-	39	-
LIMITS
}

# limit_of PROGRAM: its time limit in seconds on this lane.
limit_of() {
	local lim
	if [ "${TTP_LANE:-}" = debug ]; then
		lim=$(table 3 "$1")
	else
		lim=$(table 2 "$1")
	fi
	[ "$lim" = - ] && lim=
	[ -n "${TTP_LIMIT_S:-}" ] && lim=$TTP_LIMIT_S
	if [ -z "$lim" ]; then
		lim=$default_s
		[ "${TTP_LANE:-}" = debug ] && lim=$((lim * 4))
	fi
	echo "$lim"
}

# part_of I/N PROGRAM...: the programs of part I of N, in the order given.
part_of() {
	local i=${1%/*} n=${1#*/} col=4 p c k best
	[ "${TTP_LANE:-}" = debug ] && col=5
	local -a load=() owner=()
	for ((k = 1; k <= n; k++)); do load[k]=0; done
	shift
	# The longest first, each to the part with the least so far.
	while read -r c p; do
		best=1
		for ((k = 2; k <= n; k++)); do
			[ "${load[k]}" -lt "${load[best]}" ] && best=$k
		done
		load[best]=$((load[best] + c))
		owner+=("$p:$best")
	done < <(for p in "$@"; do
		c=$(table $col "$p")
		echo "${c:-60} $p"
	done | sort -k1,1nr -k2,2)
	for p in "$@"; do
		for c in "${owner[@]}"; do
			[ "$c" = "$p:$i" ] && echo "$p"
		done
	done
}

# hang_report PID: what a program that hangs is doing, and every TTP socket
# of the machine: /proc/net/ttp and the non-zero counters of the initial
# namespace and of each named one, then the tasks of the program's session
# (it runs in one of its own: setsid) with their wait channel and kernel
# stack.
hang_report() {
	local sid=$1 ns p t
	echo "=== hang report: $(date -u +%T), $(cut -d' ' -f1 /proc/uptime) s after boot"
	for ns in "" $(ip netns list 2>/dev/null | cut -d' ' -f1); do
		echo "--- network namespace ${ns:-(initial)}: /proc/net/ttp"
		if [ -n "$ns" ]; then
			ip netns exec "$ns" cat /proc/net/ttp 2>&1
			echo "--- $ns: counters that are not zero"
			ip netns exec "$ns" awk '$2 != 0' /proc/net/ttp_stats 2>&1
		else
			cat /proc/net/ttp 2>&1
			echo "--- counters that are not zero"
			awk '$2 != 0' /proc/net/ttp_stats 2>&1
		fi
	done
	# The C tests' namespaces have no name: reach them through a task.
	local seen=" $(stat -L -c %i /proc/1/ns/net)" id
	for ns in $(ip netns list 2>/dev/null | cut -d' ' -f1); do
		seen="$seen $(stat -L -c %i "/run/netns/$ns" 2>/dev/null)"
	done
	for p in $(ps -e -o pid=,sid= | awk -v s="$sid" '$2 == s { print $1 }'); do
		id=$(stat -L -c %i /proc/"$p"/ns/net 2>/dev/null) || continue
		case "$seen " in *" $id "*) continue ;; esac
		seen="$seen $id"
		echo "--- network namespace of task $p: /proc/net/ttp"
		nsenter --net=/proc/"$p"/ns/net cat /proc/net/ttp 2>&1
		echo "--- counters that are not zero"
		nsenter --net=/proc/"$p"/ns/net awk '$2 != 0' /proc/net/ttp_stats 2>&1
	done
	echo "--- tasks of the program (session $sid)"
	ps -e -o pid,ppid,sid,stat,wchan:32,etime,args | awk -v s="$sid" 'NR == 1 || $3 == s'
	for p in $(ps -e -o pid=,sid= | awk -v s="$sid" '$2 == s { print $1 }'); do
		for t in /proc/"$p"/task/*; do
			[ -e "$t/stack" ] || continue
			echo "--- task ${t##*/} ($(cat "$t/comm" 2>/dev/null)), wchan $(cat "$t/wchan" 2>/dev/null):"
			cat "$t/stack" 2>&1
		done
	done
	echo "=== end of hang report"
}

progs=("$@") left_out=()
if [ ${#progs[@]} -eq 0 ]; then
	# shellcheck disable=SC2207
	progs=($(make -s --no-print-directory -f - print <<'MK'
include Makefile
print:
	@echo $(TEST_GEN_PROGS) $(TEST_PROGS)
MK
))
	if [ "${TTP_LANE:-}" = debug ]; then
		kept=() left_out=()
		for p in "${progs[@]}"; do
			if [ "$(table 3 "$p")" = - ]; then
				left_out+=("$p")
			else
				kept+=("$p")
			fi
		done
		progs=("${kept[@]}")
	fi
fi
if [ ${#progs[@]} -eq 0 ]; then
	echo "run.sh: no test program found" >&2
	exit 1
fi
if [ -n "$part" ]; then
	# shellcheck disable=SC2207
	progs=($(part_of "$part" "${progs[@]}"))
fi

pass=0 fail=0 skip=0 n=0
echo "TAP version 13"
echo "1..${#progs[@]}"
[ -n "$part" ] && echo "# part $part: ${progs[*]}"
[ ${#left_out[@]} -gt 0 ] && echo "# not run on the debug lane: ${left_out[*]}"
for p in "${progs[@]}"; do
	n=$((n + 1))
	echo "# selftests: ttp: $p"
	out=$(mktemp)
	limit=$(limit_of "$p")
	start=$SECONDS
	# In a session of its own, so that the report finds all of its
	# processes, and killing it kills them all.
	setsid "./$p" >"$out" 2>&1 </dev/null &
	pid=$!
	(
		trap 'kill $nap 2>/dev/null; exit 0' TERM
		sleep "$limit" &
		nap=$!
		wait $nap
		kill -0 "$pid" 2>/dev/null || exit 0
		hang_report "$pid" >"$out.report" 2>&1
		kill -TERM -- -"$pid" 2>/dev/null
		kill -CONT -- -"$pid" 2>/dev/null	# a stopped task too
		# 10 s to clean up (its EXIT trap), then every process goes.
		for _ in $(seq 100); do
			kill -0 -- -"$pid" 2>/dev/null || exit 0
			sleep 0.1
		done
		kill -KILL -- -"$pid" 2>/dev/null
	) &
	watchdog=$!
	wait "$pid"
	rc=$?
	kill "$watchdog" 2>/dev/null
	wait "$watchdog" 2>/dev/null
	sed 's/^/# /' "$out"
	if [ -e "$out.report" ]; then
		rc=124
		sed 's/^/# /' "$out.report"
	fi
	echo "# $p: $((SECONDS - start)) s (limit $limit s)"
	cp=$(grep -cE '^ok [0-9]+ ' "$out" | tr -d ' ' || true)
	cs=$(grep -cE '^ok [0-9]+ .*# SKIP' "$out" || true)
	cf=$(grep -cE '^not ok [0-9]+ ' "$out" || true)
	cp=$((cp - cs))
	rm -f "$out" "$out.report"
	# A program killed while ttp.ko was out (ttp_module.sh) would fail
	# every one after it.
	if [ -n "${TTP_KO:-}" ] && ! grep -qw '^ttp' /proc/modules; then
		echo "# run.sh: ttp.ko is not loaded after $p: loading it again"
		insmod "$TTP_KO" || echo "# run.sh: insmod $TTP_KO failed"
	fi
	if [ "$rc" -eq 124 ]; then
		echo "# $p: timed out after ${limit}s"
		cf=$((cf + 1))	# whatever it reported, the program failed
	elif [ "$rc" -ne 0 ] && [ "$rc" -ne 4 ] && [ "$cf" -eq 0 ]; then
		cf=1	# died without saying which case failed
	fi
	pass=$((pass + cp)) fail=$((fail + cf)) skip=$((skip + cs))
	if [ "$rc" -eq 0 ] && [ "$cf" -eq 0 ]; then
		echo "ok $n selftests: ttp: $p"
	elif [ "$rc" -eq 4 ]; then
		echo "ok $n selftests: ttp: $p # SKIP"
		[ "$cp$cs" = 00 ] && skip=$((skip + 1))
	else
		echo "not ok $n selftests: ttp: $p # exit=$rc"
	fi
done
echo "# ttp: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
