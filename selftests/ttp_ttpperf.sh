#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# ttpperf between two hosts (network namespaces over veth): each test
# (bulk one and four streams, reverse, rr, crr) runs over TTP and over TCP,
# reports sane figures, and moves its segments over the protocol it names
# and no other (the namespaces' TTP and TCP counters).
cd "$(dirname "$0")" || exit 1
. ./lib.sh
. ./userspace_lib.sh

perf=$US/ttpperf

tcp_out() {
	ip netns exec "$1" awk '/^Tcp:/ { if (!n) { for (i = 1; i <= NF; i++) if ($i == "OutSegs") c = i; n = 1 } else print $c }' /proc/net/snmp
}

start_servers() {
	ip netns exec $S "$perf" -s -p 5201 --proto ttp 2>"$TMP/ttp-srv.log" &
	ip netns exec $S "$perf" -s -p 5202 --proto tcp 2>"$TMP/tcp-srv.log" &
	us_wait_listen $S 5201 || return 1
	ttp_wait_for $TTP_READY_S ip netns exec $S grep -q ':1452 00000000:0000 0A' /proc/net/tcp
}

# json FIELD: the value of a top-level or latency field of $res.
json() {
	python3 -c 'import json, sys
r = json.loads(sys.argv[1])
v = r.get(sys.argv[2], r.get("latency_us", {}).get(sys.argv[2]))
print(v)' "$res" "$1"
}

# run_perf PROTO ARGS...: one run in the client namespace; checks that the
# segments went over PROTO only.  Leaves the JSON in $res.
run_perf() {
	local proto=$1 port=5201 ttp0 tcp0 ttp1 tcp1
	shift
	[ "$proto" = tcp ] && port=5202
	ttp0=$(us_stat $C TtpOutSegs) tcp0=$(tcp_out $C)
	res=$(timeout 60 ip netns exec $C "$perf" -c $SADDR -p $port --proto "$proto" -t 1 --json "$@") ||
		fail "ttpperf --proto $proto $* exited $?: $res"
	echo "$res"
	ttp1=$(us_stat $C TtpOutSegs) tcp1=$(tcp_out $C)
	if [ "$proto" = ttp ]; then
		[ "$ttp1" -gt "$ttp0" ] && [ "$tcp1" = "$tcp0" ] ||
			fail "TTP segments $ttp0 -> $ttp1, TCP $tcp0 -> $tcp1"
	else
		[ "$tcp1" -gt "$tcp0" ] && [ "$ttp1" = "$ttp0" ] ||
			fail "TCP segments $tcp0 -> $tcp1, TTP $ttp0 -> $ttp1"
	fi
	[ "$(json proto)" = "$proto" ] || fail "reported proto $(json proto)"
}

t_bulk() {
	local proto
	for proto in ttp tcp; do
		run_perf $proto
		[ "$(json bytes)" -gt 100000 ] || fail "$proto moved $(json bytes) bytes"
		run_perf $proto -P 4
		[ "$(json streams)" = 4 ] && [ "$(json bytes)" -gt 100000 ] || fail "4 streams"
		run_perf $proto -R
		[ "$(json reverse)" = True ] && [ "$(json bytes)" -gt 100000 ] || fail "reverse"
		awk -v m="$(json mbit_per_s)" 'BEGIN { exit !(m > 0) }' || fail "no throughput"
	done
}

# Latencies ordered, transactions counted, rates that agree with them.  A
# coarse clock (the debug kernel's VM ticks it by jiffies) may measure 0.
check_rr() {
	python3 -c 'import json, sys
r = json.loads(sys.argv[1]); l = r["latency_us"]
assert r["transactions"] > 10, r
assert 0 <= l["min"] <= l["p50"] <= l["p90"] <= l["p99"] <= l["max"], l
assert l["max"] > 0, l
assert l["min"] <= l["mean"] <= l["max"], l
assert abs(r["per_s"] - r["transactions"] / r["seconds"]) <= 0.01 * r["per_s"] + 1, r' "$res" ||
		fail "inconsistent figures"
}

t_rr_and_crr() {
	local proto
	for proto in ttp tcp; do
		run_perf $proto -T rr
		check_rr
		run_perf $proto -T rr --req 2000 --resp 30000
		check_rr
		run_perf $proto -T crr
		check_rr
	done
}

t_errors() {
	local out rc=0
	out=$(ip netns exec $C "$perf" -c $SADDR -p 9 -t 1 2>&1) || rc=$?
	[ $rc -eq 1 ] || fail "refused: status $rc: $out"
	echo "$out" | grep -q "connect: Connection refused" || fail "message: $out"
	rc=0
	out=$("$perf" -c $SADDR -T nothing 2>&1) || rc=$?
	[ $rc -eq 2 ] || fail "bad test: status $rc"
}

us_require ttpperf
trap us_cleanup EXIT
ttp_plan 3
us_setup || { echo "Bail out! cannot build the network namespaces"; exit 1; }
start_servers || { echo "Bail out! the servers did not start"; exit 1; }
ttp_run bulk_one_four_reverse_over_ttp_and_tcp t_bulk
ttp_run rr_crr_latencies_over_ttp_and_tcp t_rr_and_crr
ttp_run refused_and_bad_arguments t_errors
ttp_done
