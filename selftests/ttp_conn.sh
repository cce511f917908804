#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Connections between two hosts: network namespaces "client" and "server"
# joined by a veth pair, data verified byte for byte by ttp_xfer.  Covers the
# course scenario (a server, a second client, a second server on another
# port, all multiplexed on one link), many connections to one listener,
# refused connections, ports, a RST that ends TIME_WAIT with data still
# unread, and unloading once connections are gone.
cd "$(dirname "$0")" || exit 1
. ./lib.sh

xfer=$PWD/ttp_xfer
S=ttp-srv-$$
C=ttp-cli-$$
SADDR=10.77.0.1
CADDR=10.77.0.2
CADDR2=10.77.0.3

setup() {
	ttp_pair $S $C $SADDR $CADDR || return 1
	# Short TIME_WAIT, so the module can be unloaded soon after.
	ip netns exec $S sysctl -qw net.ttp.time_wait_ms=500
	ip netns exec $C sysctl -qw net.ttp.time_wait_ms=500
}

cleanup() {
	ttp_ns_del $S $C
}

# Counters of both ends that moved, to explain a failure.
dump_stats() {
	local ns
	for ns in $S $C; do
		echo "counters of $ns:"
		ip netns exec $ns awk '$2 != 0 {print "  " $0}' /proc/net/ttp_stats
		echo "sockets of $ns (the first 40 of $(ip netns exec $ns awk 'NR > 1' /proc/net/ttp | wc -l)):"
		ip netns exec $ns sed -n 's/^/  /; 1,41p' /proc/net/ttp
	done
}

stat_of() { # NS COUNTER
	ip netns exec "$1" awk -v n="$2" '$1 == n {print $2}' /proc/net/ttp_stats
}

stats_of() { # NS COUNTER...: "NAME VALUE" of each, on one line
	local ns=$1 c
	shift
	for c; do printf '%s %s ' "$c" "$(stat_of "$ns" "$c")"; done
}

# serve PORT CONNS: start an echo server in the server namespace; wait
# until it listens.  The time limits given to ttp_xfer only end a hung test:
# they are far above what the slowest lane needs.
serve() {
	local log=/tmp/ttp-srv-$1.$$
	ip netns exec $S "$xfer" server -p "$1" -c "$2" -t 1800 >"$log" 2>&1 &
	ttp_wait_grep "$log" listening && return 0
	cat "$log"
	return 1
}

t_course_scenario() {
	local p1 p2 p3
	serve 80 2 || fail "web server did not start"
	serve 8080 1 || fail "second server did not start"
	# Client one, a second client, and a client of the second server,
	# all at once over the same link.
	ip netns exec $C "$xfer" client -a $SADDR -p 80 -s 300000 -S 1 -t 60 & p1=$!
	ip netns exec $C "$xfer" client -a $SADDR -p 80 -s 200000 -S 2 -t 60 & p2=$!
	ip netns exec $C "$xfer" client -a $SADDR -p 8080 -s 250000 -S 3 -t 60 & p3=$!
	local bad=
	wait $p1 || bad="first client failed"
	wait $p2 || bad="second client failed"
	wait $p3 || bad="client of the second server failed"
	[ -z "$bad" ] || { dump_stats; fail "$bad"; }
	wait || fail "a server failed"
	[ "$(stat_of $S TtpPassiveOpens)" -ge 3 ] || fail "server saw fewer than 3 opens"
	[ "$(stat_of $C TtpActiveOpens)" -ge 3 ] || fail "client made fewer than 3 opens"
}

# The server's segments wait 20 ms in netem, so every handshake completes
# after the client's epoll is watching the socket: a connection that became
# writable without waking its waiters is a lost wakeup, which ttp_xfer
# reports (exit 4) instead of hanging.
t_200_concurrent_connections() {
	local rc=0
	ip netns exec $S tc qdisc add dev veth-s root netem delay 20ms
	serve 7000 200 || fail "server did not start"
	ip netns exec $C "$xfer" client -a $SADDR -p 7000 -n 200 -s 32768 -t 240 || rc=$?
	ip netns exec $S tc qdisc del dev veth-s root
	[ $rc -eq 0 ] || fail "not every connection verified (status $rc)"
	wait || fail "the server failed"
}

# elapsed SECONDS_FROM_XFER_OUTPUT: the time ttp_xfer client reported.
xfer_secs() { sed -n 's/.* verified in \([0-9.]*\) s$/\1/p'; }

# 100,000 connections open at once (200,000 sockets in the two
# namespaces; the client uses two addresses, each with its own 51,000
# ephemeral ports): every one verified, and the port table keeps the cost
# of a connection flat (lookups by hash, in a table that grows with the
# connections, not by walking sockets).  No SYN is dropped on the way: not
# by a full queue, and not while the server's accept() holds the listener
# (a listener's segments never wait in its socket backlog, whose limit a
# burst of SYNs would pass).
t_100000_concurrent_connections_cost_per_connection_stays_flat() {
	local small big ts tb ns nb before after
	local counters="TtpRcvQDrops TtpListenDrops TtpListenOverflows"
	ns=$(ttp_volume 1000)
	nb=$(ttp_volume 100000)
	ip netns exec $C sysctl -qw net.ttp.ephemeral_port_range="10000 60999"
	ip -n $C addr add $CADDR2/24 dev veth-c
	# Room for every handshake at once, as a server expecting such bursts
	# would have: a full SYN or accept queue delays a connection by a
	# retransmission timeout, which would measure the queues, not the
	# port table.
	ip netns exec $S sysctl -qw net.ttp.max_syn_backlog=65535 net.core.somaxconn=65535
	before=$(stats_of $S $counters)
	serve 7200 "$ns" || fail "server did not start"
	small=$(ip netns exec $C "$xfer" client -a $SADDR -b $CADDR,$CADDR2 \
		-p 7200 -n "$ns" -s 1000 -t 120) ||
		{ dump_stats; fail "$ns connections: $small"; }
	wait || fail "server of $ns failed"
	serve 7201 "$nb" || fail "server did not start"
	big=$(ip netns exec $C "$xfer" client -a $SADDR -b $CADDR,$CADDR2 \
		-p 7201 -n "$nb" -s 1000 -t 1500) ||
		{ dump_stats; fail "$nb connections: $big"; }
	wait || fail "server of $nb failed"
	ip -n $C addr del $CADDR2/24 dev veth-c
	ip netns exec $C sysctl -qw net.ttp.ephemeral_port_range="32768 60999"
	ip netns exec $S sysctl -qw net.ttp.max_syn_backlog=256
	after=$(stats_of $S $counters)
	[ "$before" = "$after" ] ||
		fail "the server dropped SYNs: before $before, after $after"
	ts=$(echo "$small" | xfer_secs)
	tb=$(echo "$big" | xfer_secs)
	echo "$ns connections in $ts s, $nb in $tb s"
	# 100 times the connections may take at most 300 times as long.
	awk -v s="$ts" -v b="$tb" -v r=$((nb / ns * 3)) \
		'BEGIN { exit !(b <= r * (s > 0.05 ? s : 0.05)) }' ||
		fail "cost per connection grew: $ts s for $ns, $tb s for $nb"
}

t_connect_to_closed_port_is_refused() {
	local out rc=0 before
	before=$(stat_of $S TtpOutRsts)
	out=$(ip netns exec $C "$xfer" client -a $SADDR -p 9 -t 10 2>&1) || rc=$?
	[ $rc -eq 3 ] || fail "status $rc, not 3: $out"
	echo "$out" | grep -q "Connection refused" || fail "not ECONNREFUSED: $out"
	[ "$(stat_of $S TtpOutRsts)" -gt "$before" ] || fail "no RST counted"
}

no_sockets() { [ "$(ip netns exec "$1" awk 'NR > 1' /proc/net/ttp | wc -l)" = 0 ]; } # NS

# counter_at_least NS COUNTER N
counter_at_least() { [ "$(stat_of "$1" "$2")" -ge "$3" ]; }

t_ephemeral_ports_from_sysctl_range() {
	# Ports of earlier tests' connections are held until TIME_WAIT ends.
	ttp_wait_for $TTP_READY_S no_sockets $C ||
		fail "sockets of earlier tests left: $(ip netns exec $C cat /proc/net/ttp)"
	ip netns exec $C sysctl -qw net.ttp.ephemeral_port_range="40000 40009"
	serve 7100 10 || fail "server did not start"
	ip netns exec $C "$xfer" client -a $SADDR -p 7100 -n 10 -s 1000 ||
		fail "10 connections in a range of 10 ports failed"
	wait
	ip netns exec $C sysctl -qw net.ttp.ephemeral_port_range="32768 60999"
}

t_corrupted_segments_are_dropped_and_counted() {
	local before after
	before=$(stat_of $S TtpInCsumErrors)
	# A segment whose checksum is wrong: random bytes with version 1.
	ip netns exec $C python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 253)
for i in range(20):
    seg = bytes([0x1f, 0x40, 0x1b, 0x58, 1, 2, 3, 4, 0, 0, 0, 0, 0x15, 0x02, 0xff, 0xff, 0xde, 0xad, 0, 0])
    s.sendto(seg, ("'$SADDR'", 0))'
	ttp_wait_for $TTP_READY_S counter_at_least $S TtpInCsumErrors $((before + 20)) || true
	after=$(stat_of $S TtpInCsumErrors)
	[ "$after" -ge $((before + 20)) ] || fail "TtpInCsumErrors went from $before to $after"
}

# The server half-closes first and so ends in TIME_WAIT, with data its
# process has not read yet; the client's connection is gone.  A segment
# from the client's address and port (ttp_attack's probe, as an old
# duplicate would) draws an ACK from TIME_WAIT, and the client's stack,
# which has no connection any more, answers it with a RST at exactly the
# server's rcv_nxt.  That RST ends TIME_WAIT, but the connection had ended
# well: the server's process still reads every byte, then end of file,
# with no error.
server_in() { # PORT STATE: the server's connection on PORT is in STATE (hex)
	ip netns exec $S awk -v p=":$(printf '%04X' "$1")" -v st="$2" \
		'NR > 1 && $4 == st && substr($2, 9) == p { f = 1 } END { exit !f }' /proc/net/ttp
}

t_reset_in_time_wait_keeps_the_data() {
	local cat=$PWD/../userspace/ttpcat tmp rst0 rc cport
	[ -x "$cat" ] || fail "$cat is not built (make userspace)"
	tmp=$(mktemp -d)
	# More than ttpcat's buffer and the pipe's (64 KiB each) take: the
	# rest waits in the socket, well within its window.
	head -c 150000 /dev/urandom >$tmp/file
	ip netns exec $S sysctl -qw net.ttp.time_wait_ms=600000
	ttp_wait_for $TTP_READY_S no_sockets $C ||
		fail "sockets of earlier tests left: $(ip netns exec $C cat /proc/net/ttp)"
	rst0=$(stat_of $S TtpInRsts)
	# The reader of the server's output waits for the RST.
	{ rc=0; ip netns exec $S "$cat" -l 7200 </dev/null 2>$tmp/err || rc=$?; echo $rc >$tmp/rc; } |
		{ until [ -e $tmp/go ]; do sleep 0.1; done; cat >$tmp/got; } &
	ttp_wait_listen $S 7200 || fail "the server did not listen"
	# The client sends once the server has half-closed (FIN_WAIT2).
	{ ttp_wait_for $TTP_READY_S server_in 7200 05 && cat $tmp/file; } |
		ip netns exec $C "$cat" $SADDR 7200 >/dev/null ||
		fail "the client failed"
	ttp_wait_for $TTP_READY_S server_in 7200 06 ||
		fail "the server is not in TIME_WAIT: $(dump_stats)"
	ttp_wait_for $TTP_READY_S no_sockets $C ||
		fail "the client's connection is still there: $(dump_stats)"
	cport=$(ip netns exec $S awk 'NR > 1 && $4 == "06" {split($3, a, ":"); print a[2]}' /proc/net/ttp)
	cport=$((16#$cport))
	ip netns exec $C "$PWD/ttp_attack" inwindow -i veth-c -d $SADDR -p 7200 \
		-s $CADDR -P "$cport" -n 0 -c || fail "the probe failed"
	ttp_wait_for $TTP_READY_S counter_at_least $S TtpInRsts $((rst0 + 1)) ||
		fail "no RST reached the server: $(dump_stats)"
	touch $tmp/go
	wait
	ip netns exec $S sysctl -qw net.ttp.time_wait_ms=500
	rc=$(cat $tmp/rc)
	echo "server: status $rc $(cat $tmp/err); $(stats_of $S TtpInRsts)"
	[ "$rc" = 0 ] || fail "the server failed: $(cat $tmp/err)"
	cmp -s $tmp/file $tmp/got || fail "the server read other bytes"
	! server_in 7200 06 || fail "TIME_WAIT did not end"
	rm -rf "$tmp"
}

t_unload_after_connections_close() {
	[ -n "${TTP_KO:-}" ] || skip "TTP_KO is not set"
	cleanup
	# Until the last sockets are gone (TIME_WAIT of 500 ms, sockets freed
	# after an RCU grace period).
	ttp_wait_for $TTP_READY_S rmmod ttp 2>/dev/null || true
	if grep -qw '^ttp' /proc/modules; then
		grep TTP /proc/net/protocols
		fail "ttp could not be unloaded: $(grep -w '^ttp' /proc/modules)"
	fi
	insmod "$TTP_KO" || fail "reload failed"
}

trap cleanup EXIT
ttp_plan 8
setup || { echo "Bail out! cannot build the network namespaces"; exit 1; }
ttp_run course_scenario_two_clients_two_servers t_course_scenario
ttp_run 200_concurrent_connections_one_listener_20ms_away t_200_concurrent_connections
ttp_run 100000_concurrent_connections_cost_per_connection_stays_flat \
	t_100000_concurrent_connections_cost_per_connection_stays_flat
ttp_run connect_to_closed_port_is_refused t_connect_to_closed_port_is_refused
ttp_run ephemeral_ports_from_sysctl_range t_ephemeral_ports_from_sysctl_range
ttp_run corrupted_segments_are_dropped_and_counted t_corrupted_segments_are_dropped_and_counted
ttp_run reset_in_time_wait_keeps_the_data t_reset_in_time_wait_keeps_the_data
ttp_run unload_after_connections_close t_unload_after_connections_close
ttp_done
