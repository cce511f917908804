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
#   ttp_volume N          N, or N / 50 on the debug lane (TTP_LANE=debug)
#   ttp_pair S C SADDR CADDR
#                         network namespaces S and C joined by veth: veth-s
#                         with SADDR/24 in S, veth-c with CADDR/24 in C, all
#                         links up (MTU 1500)
#   ttp_ns_del NS...      kill what runs in the namespaces and delete them

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
	local name=$1 rc out start=$SECONDS
	shift
	_ttp_n=$((_ttp_n + 1))
	echo "#  RUN           $name ..."
	out=$( ( set -e; "$@" ) 2>&1 )
	rc=$?
	[ -n "$out" ] && printf '%s\n' "$out" | sed 's/^/# /'
	echo "# $name: $((SECONDS - start)) s"
	case $rc in
	0)
		echo "#            OK  $name"
		echo "ok $_ttp_n $name"
		_ttp_pass=$((_ttp_pass + 1))
		;;
	"$ksft_skip")
		echo "#      SKIP      $name"
		echo "ok $_ttp_n $name # SKIP ${out##*SKIP: }"
		_ttp_skip=$((_ttp_skip + 1))
		;;
	*)
		echo "#     FAIL       $name"
		echo "not ok $_ttp_n $name"
		_ttp_fail=$((_ttp_fail + 1))
		;;
	esac
}

ttp_done() {
	echo "# Totals: pass:$_ttp_pass fail:$_ttp_fail xfail:0 xpass:0 skip:$_ttp_skip error:0"
	[ "$_ttp_fail" -eq 0 ]
}

# ttp_volume N: how many segments, connections or cycles a test uses where
# the figure only sets its weight.  The debug kernel's checkers make each
# segment cost tens of times as much under emulation (about 6 ms a
# segment), so the debug lane, which is there for what they find, takes a
# fiftieth (at least 1).
ttp_volume() {
	if [ "${TTP_LANE:-}" = debug ]; then
		echo $(($1 / 50 > 0 ? $1 / 50 : 1))
	else
		echo "$1"
	fi
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

ttp_ns_del() {
	local ns busy
	for ns in "$@"; do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
	done
	# Let them close their sockets (1 s at most) before the namespaces go.
	for _ in $(seq 10); do
		busy=
		for ns in "$@"; do
			[ -n "$(ip netns pids "$ns" 2>/dev/null)" ] && busy=1
		done
		[ -z "$busy" ] && break
		sleep 0.1
	done
	for ns in "$@"; do
		ip netns del "$ns" 2>/dev/null
	done
	true
}
