#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# ICMP errors from real routers, and path MTU discovery (module/icmp.c):
# two hosts with two routers between them,
#
#   A 10.89.1.1 --- R1 --- (10.89.2.0/24) --- R2 --- 10.89.3.1 B
#
# all links at MTU 1500 but the one between the routers.
#
#   path_mtu_1280_found_by_both_sides   the routers' link at MTU 1280:
#       ttp_bulk both ways at once between A and B, whose handshake chose
#       an MSS for 1500.  The routers drop what is too large and say so
#       ("fragmentation needed", 1280); both sides lower their MSS
#       (TtpPmtuReductions) and send again what was lost, cut to fit, and
#       every byte arrives, verified.  The MSS of each side at the end
#       (TTP_INFO, which ttp_bulk prints) fits 1280.
#   path_mtu_below_the_floor   the routers' link at MTU 500, below what a
#       route takes (net.ipv4.route.min_pmtu, 552): the hosts' routes stop
#       at 552 and send without DF, the routers fragment, and the MSS goes
#       no lower than what 552 allows; every byte arrives.
#   prohibited_route_ends_connect_at_once   R1 has a "prohibit" route:
#       its "administratively prohibited", a hard error, ends the connect()
#       with EHOSTUNREACH (ttpcat says "No route to host") before the SYN
#       goes again (TtpRetransSegs), with an initial RTO of 30 s.
#   unreachable_route_reported_when_connect_times_out   R1 has an
#       "unreachable" route: "host unreachable" is a soft error, connect()
#       goes on (the SYN goes again) until its SYN retries are spent, then
#       fails with EHOSTUNREACH, not ETIMEDOUT.
#
# ttp_volume(8) MiB each way (2 on the 6.1 lane, 1 on the debug lane).
cd "$(dirname "$0")" || exit 1
. ./lib.sh

bulk=$PWD/ttp_bulk
ttpcat=$PWD/../userspace/ttpcat
A=ttp-ia-$$
R1=ttp-ir1-$$
R2=ttp-ir2-$$
B=ttp-ib-$$
AADDR=10.89.1.1
BADDR=10.89.3.1
tmp=$(mktemp -d)
PORT=6700
MIB=$(ttp_volume 8)
[ "$MIB" -ge 1 ] || MIB=1
BYTES=$((MIB << 20))

# link NS1 DEV1 ADDR1 NS2 DEV2 ADDR2: a veth pair between two namespaces.
link() {
	ip link add "$2" netns "$1" type veth peer name "$5" netns "$4" &&
		ip -n "$1" addr add "$3/24" dev "$2" &&
		ip -n "$4" addr add "$6/24" dev "$5" &&
		ip -n "$1" link set "$2" up &&
		ip -n "$4" link set "$5" up
}

setup() {
	local ns
	for ns in $A $R1 $R2 $B; do
		ip netns add $ns || return 1
		ip -n $ns link set lo up
		ip netns exec $ns sysctl -qw net.ttp.time_wait_ms=500
	done
	link $A veth-a $AADDR $R1 veth-r1a 10.89.1.254 || return 1
	link $R1 veth-r1 10.89.2.1 $R2 veth-r2 10.89.2.2 || return 1
	link $R2 veth-r2b 10.89.3.254 $B veth-b $BADDR || return 1
	for ns in $R1 $R2; do
		ip netns exec $ns sysctl -qw net.ipv4.ip_forward=1 || return 1
	done
	ip -n $A route add default via 10.89.1.254 &&
		ip -n $B route add default via 10.89.3.254 &&
		ip -n $R1 route add 10.89.3.0/24 via 10.89.2.2 &&
		ip -n $R2 route add 10.89.1.0/24 via 10.89.2.1
}

cleanup() {
	ttp_ns_del $A $R1 $R2 $B
	rm -rf "$tmp"
}

# mtu N: the MTU of the routers' link, both ends.
mtu() {
	ip -n $R1 link set veth-r1 mtu "$1" && ip -n $R2 link set veth-r2 mtu "$1"
}

# forget: the hosts forget what they learnt of the path (the MTU is kept
# with the route, so the routes go and come back).
forget() {
	ip -n $A route del default && ip -n $B route del default &&
		ip -n $A route add default via 10.89.1.254 &&
		ip -n $B route add default via 10.89.3.254
}

counter() { # NS NAME
	ip netns exec "$1" awk -v n="$2" '$1 == n { print $2 }' /proc/net/ttp_stats
}

# both_ways: ttp_bulk from A to B and back at once, every byte verified;
# sets ma and mb, the MSS of A's and B's connection at its end.
both_ways() {
	local out rc=0
	PORT=$((PORT + 1))
	ip netns exec $B "$bulk" server -p $PORT -c 1 >$tmp/server 2>&1 &
	local spid=$!
	ttp_wait_grep $tmp/server listening || fail "no server: $(cat $tmp/server)"
	out=$(ip netns exec $A "$bulk" client -a $BADDR -p $PORT -n 1 \
		-u $BYTES -d $BYTES 2>&1) || rc=$?
	echo "  $out"
	wait $spid || { cat $tmp/server; fail "the server failed"; }
	[ $rc = 0 ] || fail "the client failed (status $rc)"
	ma=$(echo "$out" | sed -n 's/.*, mss \([0-9]*\)$/\1/p')
	mb=$(sed -n 's/^server: conn .*, mss \([0-9]*\)$/\1/p' $tmp/server)
}

# pmtu MTU MAX_MSS MIN_MSS: the transfer across a link of MTU; the MSS of
# each side must end between MIN_MSS and MAX_MSS.
pmtu() {
	local a0 b0 a1 b1 ma mb
	mtu "$1" || fail "cannot set the MTU"
	forget || fail "cannot reset the routes"
	a0=$(counter $A TtpPmtuReductions)
	b0=$(counter $B TtpPmtuReductions)
	both_ways
	a1=$(counter $A TtpPmtuReductions)
	b1=$(counter $B TtpPmtuReductions)
	echo "  MSS: A $ma, B $mb; TtpPmtuReductions: A +$((a1 - a0)), B +$((b1 - b0));" \
		"TtpRetransSegs A $(counter $A TtpRetransSegs), B $(counter $B TtpRetransSegs);" \
		"TtpTimeouts A $(counter $A TtpTimeouts), B $(counter $B TtpTimeouts)"
	[ $((a1 - a0)) -gt 0 ] || fail "A did not lower its MSS"
	[ $((b1 - b0)) -gt 0 ] || fail "B did not lower its MSS"
	[ -n "$ma" ] && [ -n "$mb" ] || fail "ttp_bulk did not say the MSS"
	[ "$ma" -le "$2" ] && [ "$mb" -le "$2" ] || fail "an MSS above $2"
	[ "$ma" -ge "$3" ] && [ "$mb" -ge "$3" ] || fail "an MSS below $3"
	mtu 1500
}

t_path_mtu_1280() {
	# 1280 less the IP and TTP headers; timestamps take 12 more.
	pmtu 1280 $((1280 - 40)) $((1280 - 40 - 12))
}

t_path_mtu_below_floor() {
	local floor
	floor=$(ip netns exec $A sysctl -n net.ipv4.route.min_pmtu)
	pmtu 500 $((floor - 40)) $((floor - 40 - 12))
}

# connect_fails ROUTE: R1 has a ROUTE (prohibit, unreachable) route to
# 10.89.9.1, which A connects to; prints how it went and how long it took.
connect_fails() {
	local start rc=0 out
	ip -n $R1 route add "$1" 10.89.9.1/32 || fail "ip route add $1"
	start=$(date +%s%N)
	out=$(ip netns exec $A "$ttpcat" 10.89.9.1 80 </dev/null 2>&1) || rc=$?
	took=$((($(date +%s%N) - start) / 1000000))
	ip -n $R1 route del "$1" 10.89.9.1/32
	echo "  status $rc after $took ms: $out"
	[ $rc = 1 ] || fail "ttpcat ended with status $rc, not 1"
	case "$out" in
	*"No route to host"*) ;;
	*) fail "not EHOSTUNREACH" ;;
	esac
}

t_prohibited() {
	local took r0 r1
	# Were the error lost, the SYN would go again after 30 s, and the
	# connect() fail with ETIMEDOUT after 90.
	ip netns exec $A sysctl -qw net.ttp.syn_retries=1 net.ttp.rto_initial_ms=30000
	r0=$(counter $A TtpRetransSegs)
	connect_fails prohibit
	r1=$(counter $A TtpRetransSegs)
	ip netns exec $A sysctl -qw net.ttp.syn_retries=6 net.ttp.rto_initial_ms=1000
	[ "$r1" = "$r0" ] || fail "the SYN went again: the first error did not end it"
}

t_unreachable() {
	local took a0 r0 r1
	a0=$(counter $A TtpAttemptFails)
	r0=$(counter $A TtpRetransSegs)
	ip netns exec $A sysctl -qw net.ttp.syn_retries=1
	connect_fails unreachable
	r1=$(counter $A TtpRetransSegs)
	ip netns exec $A sysctl -qw net.ttp.syn_retries=6
	# A soft error: the SYN went again, then it gave up.
	[ "$r1" -gt "$r0" ] || fail "the SYN did not go again: a soft error ended it"
	[ "$(counter $A TtpAttemptFails)" -gt "$a0" ] || fail "not counted"
}

trap cleanup EXIT
ttp_plan 4
setup || { echo "Bail out! cannot build the network namespaces"; exit 1; }
echo "# $MIB MiB each way"
ttp_run path_mtu_1280_found_by_both_sides t_path_mtu_1280
ttp_run path_mtu_below_the_floor t_path_mtu_below_floor
ttp_run prohibited_route_ends_connect_at_once t_prohibited
ttp_run unreachable_route_reported_when_connect_times_out t_unreachable
ttp_done
