#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# TTP under attack, between network namespaces joined by veth pairs:
#   - a flood of SYNs from forged addresses while a real client connects
#     again and again (SYN cookies);
# ttp_attack crafts the hostile segments on raw IP sockets.
#
# Layout: "server" (10.77.0.1) and "client" (10.77.0.2) on one veth pair.
cd "$(dirname "$0")" || exit 1
. ./lib.sh

attack=$PWD/ttp_attack
xfer=$PWD/ttp_xfer
S=ttp-hs-$$
C=ttp-hc-$$
SADDR=10.77.0.1
CADDR=10.77.0.2
tmp=$(mktemp -d /tmp/ttp-hostile.XXXXXX)

setup() {
	ip netns add $S && ip netns add $C || return 1
	ip link add veth-s netns $S type veth peer name veth-c netns $C || return 1
	ip -n $S addr add $SADDR/24 dev veth-s
	ip -n $C addr add $CADDR/24 dev veth-c
	ip -n $S link set lo up
	ip -n $C link set lo up
	ip -n $S link set veth-s up
	ip -n $C link set veth-c up
	# Replies to forged sources go to the client's host, which drops
	# them (it does not forward): one neighbour entry, not thousands.
	ip -n $S route add 10.99.0.0/16 via $CADDR
	# Connections closed by the client free their ports soon.
	ip netns exec $C sysctl -qw net.ttp.time_wait_ms=500
}

cleanup() {
	ip netns pids $S 2>/dev/null | xargs -r kill 2>/dev/null
	ip netns pids $C 2>/dev/null | xargs -r kill 2>/dev/null
	ip netns del $S 2>/dev/null
	ip netns del $C 2>/dev/null
	rm -rf "$tmp"
}

stat_of() { # NS COUNTER
	ip netns exec "$1" awk -v n="$2" '$1 == n {print $2}' /proc/net/ttp_stats
}

# stats NS FILE: save the counters of NS.
stats() { ip netns exec "$1" cat /proc/net/ttp_stats >"$2"; }

# delta BEFORE AFTER COUNTER: how much COUNTER grew between two saves.
delta() {
	awk -v n="$3" 'FNR == NR && $1 == n { b = $2 } FNR != NR && $1 == n { a = $2 }
		END { print a - b }' "$1" "$2"
}

# TTP sockets open in namespace NS (/proc/net/protocols counts per netns).
sockets_of() {
	ip netns exec "$1" awk '$1 == "TTP" { print $3 }' /proc/net/protocols
}

# Packets dropped, all CPUs, before any protocol saw them: the queues
# between a veth and the receiving CPU were full.
softnet_drops() {
	local d=0 x
	for x in $(awk '{ print $2 }' /proc/net/softnet_stat); do
		d=$((d + 16#$x))
	done
	echo $d
}

# Objects of the TTP slab cache, all namespaces, and the kernel's slab memory.
slab_objs() { awk '$1 == "TTP" { print $2 }' /proc/slabinfo; }
slab_kb() { awk '$1 == "Slab:" { print $2 }' /proc/meminfo; }

# serve PORT: an echo server in the server namespace, until killed.
serve() {
	local log=$tmp/srv-$1
	ip netns exec $S "$xfer" server -p "$1" -c 0 -t 600 >"$log" 2>&1 &
	for _ in $(seq 50); do
		grep -q listening "$log" 2>/dev/null && return 0
		sleep 0.1
	done
	cat "$log"
	return 1
}

# The server's sockets, sampled until $tmp/stop exists; the largest count.
sample_sockets() {
	local max=0 n
	while [ ! -e "$tmp/stop" ]; do
		n=$(sockets_of $S)
		[ "$n" -gt "$max" ] && max=$n
		sleep 0.2
	done
	echo "$max"
}

# 100,000 SYNs from forged addresses fill the listener's SYN queue, and
# SYN cookies answer the rest without keeping state: a real client still
# connects (and its data is verified) at least 99 times in 100, and the
# listener's memory stays bounded by net.ttp.max_syn_backlog.
t_syn_flood_cookies_keep_listener_open() {
	local syns=100000 backlog fpid spid out sent tries ok peak s0 s1 k0 k1 n
	local b=$tmp/flood-before a=$tmp/flood-after opened accounted d0 lost
	backlog=$(ip netns exec $S sysctl -n net.ttp.max_syn_backlog)
	serve 80 || fail "echo server did not start"
	s0=$(slab_objs)
	k0=$(slab_kb)
	stats $S "$b"
	d0=$(softnet_drops)
	sample_sockets >"$tmp/peak" &
	spid=$!
	local start=$SECONDS
	ip netns exec $C "$attack" flood -d $SADDR -p 80 -n $syns -S 1 \
		>"$tmp/flood" 2>&1 &
	fpid=$!
	# Once the SYN queue is full (cookies flow), the real client connects,
	# for as long as the flood lasts and 100 times at least.
	for _ in $(seq 100); do
		[ "$(stat_of $S TtpSynCookiesSent)" -gt "$(awk '$1 == "TtpSynCookiesSent" { print $2 }' "$b")" ] &&
			break
		sleep 0.05
	done
	out=$(ip netns exec $C "$attack" connect -a $SADDR -p 80 -n 100 -w $fpid -t 150)
	wait $fpid || { cat "$tmp/flood"; fail "the flood failed"; }
	touch "$tmp/stop"
	wait $spid
	peak=$(cat "$tmp/peak")
	stats $S "$a"
	lost=$(($(softnet_drops) - d0))
	s1=$(slab_objs)
	k1=$(slab_kb)
	cat "$tmp/flood"
	echo "$out" | tail -n 5
	sent=$(sed -n 's/^flood: \([0-9]*\) SYNs sent.*/\1/p' "$tmp/flood")
	tries=$(echo "$out" | sed -n 's/^connect: \([0-9]*\) of \([0-9]*\) .*/\2/p')
	ok=$(echo "$out" | sed -n 's/^connect: \([0-9]*\) of \([0-9]*\) .*/\1/p')
	echo "SYNs sent: $sent, $lost packets lost before TTP;" \
		"legitimate connections: $ok of $tries verified; $((SECONDS - start)) s"
	echo "server's TTP sockets: at most $peak during the flood" \
		"(max_syn_backlog $backlog); TTP slab objects $s0 -> $s1;" \
		"slab memory $k0 kB -> $k1 kB"
	for n in TtpSynCookiesSent TtpSynCookiesRecv TtpSynCookiesFailed \
		TtpPassiveOpens TtpListenDrops TtpListenOverflows TtpRcvQDrops; do
		echo "  $n +$(delta "$b" "$a" $n)"
	done
	[ "${sent:-0}" -ge $syns ] || fail "only ${sent:-0} SYNs sent"
	[ "${tries:-0}" -ge 100 ] || fail "only ${tries:-0} connections tried"
	[ $((ok * 100)) -ge $((tries * 99)) ] ||
		fail "only $ok of $tries legitimate connections succeeded"
	# Every SYN that reached TTP is accounted for: a connection, a
	# cookie, or a drop, by the listener or, while accept() held the
	# listener's lock, because its backlog was full (TtpRcvQDrops).  The
	# flood may also outrun the receiving CPU, whose queue then drops
	# packets before TTP sees them (counted in softnet_stat).  The
	# client's SYNs (one per connection, more if one was lost) come on
	# top.
	opened=$(($(delta "$b" "$a" TtpPassiveOpens) - $(delta "$b" "$a" TtpSynCookiesRecv)))
	accounted=$((opened + $(delta "$b" "$a" TtpSynCookiesSent) +
		$(delta "$b" "$a" TtpListenDrops) + $(delta "$b" "$a" TtpRcvQDrops)))
	[ $((accounted + lost)) -ge "$sent" ] && [ $accounted -le $((sent + 7 * tries)) ] ||
		fail "$accounted SYNs accounted for, $lost lost, for $sent forged and $tries real connections"
	[ "$(delta "$b" "$a" TtpSynCookiesSent)" -ge \
	  $((sent - lost - $(delta "$b" "$a" TtpRcvQDrops) - backlog)) ] ||
		fail "too few cookies for $sent SYNs and a SYN queue of $backlog"
	# The real client came in through cookies: the queue stayed full.
	[ "$(delta "$b" "$a" TtpSynCookiesRecv)" -ge "$ok" ] ||
		fail "fewer cookies came back than connections succeeded"
	[ "$(delta "$b" "$a" TtpSynCookiesFailed)" -eq 0 ] ||
		fail "real clients' cookies failed"
	# Memory: the listener, max_syn_backlog half-open connections, and
	# the real client's connection or two; not a socket per SYN.
	[ "$peak" -le $((1 + backlog + 4)) ] ||
		fail "$peak sockets in the server for a SYN queue of $backlog"
	# The slab also holds the client's sockets (TIME_WAIT, sockets freed
	# after an RCU grace period) and counts by whole slabs: a loose
	# bound, but one a socket per SYN would break a hundred times over.
	[ $((s1 - s0)) -le $((2 * backlog + 256)) ] ||
		fail "the TTP slab grew by $((s1 - s0)) objects"
	# Closing the listener frees the half-open connections.
	ip netns pids $S | xargs -r kill
	for _ in $(seq 50); do
		[ "$(sockets_of $S)" -eq 0 ] && break
		sleep 0.2
	done
	[ "$(sockets_of $S)" -eq 0 ] || fail "$(sockets_of $S) sockets left after the listener closed"
}

trap cleanup EXIT
ttp_plan 1
setup || { echo "Bail out! cannot build the network namespaces"; exit 1; }
ttp_run syn_flood_cookies_keep_listener_open t_syn_flood_cookies_keep_listener_open
ttp_done
