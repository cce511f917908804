# SPDX-License-Identifier: GPL-2.0-only
#
# TAP helpers for the TTP shell selftests, in the format of
# kselftest_harness.h so that one parser reads both.
#
#   ttp_plan N            print the header and the plan
#   ttp_run NAME FUNC [ARG...]
#                         run FUNC in a subshell; its status decides ok/not ok
#                         (exit 4 = skip, with the reason on its last line)
#   ttp_done              print the totals and exit 1 if any test failed
#   ttp_volume N          N on 6.12, N / 4 on 6.1, N / 200 (at least 1) on
#                         the debug lane (TTP_LANE)
#   ttp_pair S C SADDR CADDR
#                         network namespaces S and C joined by veth: veth-s
#                         with SADDR/24 in S, veth-c with CADDR/24 in C, all
#                         links up (MTU 1500)
#   ttp_ns_del NS...      kill what runs in the namespaces and delete them
#   ttp_wait_for SECS CMD [ARG...]
#                         run CMD every 0.1 s until it succeeds; 1 if it
#                         still fails after SECS
#   ttp_wait_listen NS PORT
#                         until a TTP listener holds PORT in NS
#   ttp_wait_grep FILE PATTERN
#                         until FILE holds a line matching PATTERN (grep -E)
#
# The waits stand for "the other side is ready": they return as soon as it
# is, and their cap (TTP_READY_S, 120 s) is only there to end a test that
# hangs, far above what the slowest lane on a loaded machine needs.  No
# test sleeps for a guessed duration instead.

ksft_skip=4
_ttp_n=0 _ttp_pass=0 _ttp_fail=0 _ttp_skip=0

ttp_plan() {
	echo "TAP version 13"
	echo "1..$1"
}

# fail MESSAGE: report why a test fails and leave its subshell.
fail() {
	echo "# FAIL: $*"
	exit 1
}

skip() {
	echo "# SKIP: $*"
	exit $ksft_skip
}

ttp_run() {
	local name=$1 rc out pid left start=$SECONDS
	shift
	_ttp_n=$((_ttp_n + 1))
	# TTP_ONLY=REGEX: only the tests whose names match (while working on
	# one); the others are reported skipped.
	if [ -n "${TTP_ONLY:-}" ] && ! [[ $name =~ $TTP_ONLY ]]; then
		echo "ok $_ttp_n $name # SKIP not in TTP_ONLY"
		_ttp_skip=$((_ttp_skip + 1))
		return
	fi
	echo "#  RUN           $name ..."
	# Its output goes to a file, not through a pipe: a process the test
	# left behind (a capture, a server) would hold a pipe open, and the
	# reading would wait as long as it lives.
	out=$(mktemp)
	# In a process group of its own (job control on for this one job),
	# so that what a failed test left running (a server holding sockets,
	# a capture) is killed with it, before the next test starts.
	set -m
	( set +m; set -e; "$@" ) >"$out" 2>&1 &
	pid=$!
	set +m
	wait "$pid"
	rc=$?
	left=$(ps -e -o pgid=,stat= | awk -v g="$pid" '$1 == g && $2 !~ /^Z/' | grep -c .)
	kill -KILL -- "-$pid" 2>/dev/null
	sed 's/^/# /' "$out"
	[ -z "$(tail -c1 "$out")" ] || echo
	[ "$left" = 0 ] || echo "# $name left $left processes running: killed"
	echo "# $name: $((SECONDS - start)) s"
	case $rc in
	0)
		echo "#            OK  $name"
		echo "ok $_ttp_n $name"
		_ttp_pass=$((_ttp_pass + 1))
		;;
	"$ksft_skip")
		echo "#      SKIP      $name"
		echo "ok $_ttp_n $name # SKIP $(sed -n 's/.*SKIP: //p' "$out" | tail -n1)"
		_ttp_skip=$((_ttp_skip + 1))
		;;
	*)
		echo "#     FAIL       $name"
		echo "not ok $_ttp_n $name"
		_ttp_fail=$((_ttp_fail + 1))
		;;
	esac
	rm -f "$out"
}

ttp_done() {
	echo "# Totals: pass:$_ttp_pass fail:$_ttp_fail xfail:0 xpass:0 skip:$_ttp_skip error:0"
	[ "$_ttp_fail" -eq 0 ]
}

# ttp_volume N: how many segments, connections or cycles a test uses where
# the figure only sets its weight.  The full figure runs on 6.12; the 6.1
# lane, there for what differs between the kernels (their APIs, their
# timing), takes a quarter.  The debug kernel's checkers make each segment
# cost tens of times as much under emulation (about 6 ms a segment, 40 ms
# a SYN), so the debug lane, which is there for what they find, takes a
# two-hundredth (at least 1).
ttp_volume() {
	case "${TTP_LANE:-}" in
	debug) echo $(($1 / 200 > 0 ? $1 / 200 : 1)) ;;
	6.1) echo $(($1 / 4 > 0 ? $1 / 4 : 1)) ;;
	*) echo "$1" ;;
	esac
}


ttp_pair() {
	local s=$1 c=$2
	ip netns add "$s" && ip netns add "$c" || return 1
	ip link add veth-s netns "$s" type veth peer name veth-c netns "$c" ||
		return 1
	ip -n "$s" addr add "$3/24" dev veth-s
	ip -n "$c" addr add "$4/24" dev veth-c
	ip -n "$s" link set lo up
	ip -n "$c" link set lo up
	ip -n "$s" link set veth-s up
	ip -n "$c" link set veth-c up
}

_ttp_ns_idle() {
	local ns
	for ns in "$@"; do
		[ -z "$(ip netns pids "$ns" 2>/dev/null)" ] || return 1
	done
}

ttp_ns_del() {
	local ns
	for ns in "$@"; do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
	done
	# Let them close their sockets before the namespaces go.
	ttp_wait_for 30 _ttp_ns_idle "$@"
	for ns in "$@"; do
		ip netns del "$ns" 2>/dev/null
	done
	true
}

TTP_READY_S=120

ttp_wait_for() {
	local end=$((SECONDS + $1))
	shift
	until "$@"; do
		[ $SECONDS -lt $end ] || return 1
		sleep 0.1
	done
}

# /proc/net/ttp shows the port in hex, state 0A for a listener.
_ttp_listens() {
	ip netns exec "$1" awk -v p=":$(printf '%04X' "$2")" \
		'NR > 1 && $4 == "0A" && substr($2, 9) == p { f = 1 } END { exit !f }' \
		/proc/net/ttp
}

ttp_wait_listen() {
	ttp_wait_for $TTP_READY_S _ttp_listens "$1" "$2" && return 0
	echo "nobody listens on port $2 in $1"
	return 1
}

ttp_wait_grep() {
	ttp_wait_for $TTP_READY_S grep -qE "$2" "$1" 2>/dev/null
}
