#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# ttpcat between two hosts (network namespaces over veth): random data
# verified by SHA-256 in both directions, half-close, -k serving clients one
# after another, -v showing the negotiated parameters, exit statuses; both
# ends sending at once more than the sockets hold, and a reset reported;
# --key-file: a signed transfer under loss and reordering, a wrong key, a
# key file that does not parse.
cd "$(dirname "$0")" || exit 1
. ./lib.sh
. ./userspace_lib.sh

cat=$US/ttpcat

sha() { sha256sum <"$1" | cut -d' ' -f1; }

t_client_to_server_4mib_sha256() {
	head -c 4194304 /dev/urandom >"$TMP/up"
	ip netns exec $S "$cat" -l $SADDR 9000 >"$TMP/up.got" </dev/null &
	local srv=$!
	us_wait_listen $S 9000
	timeout 120 ip netns exec $C "$cat" $SADDR 9000 <"$TMP/up" >/dev/null ||
		fail "client exited $?"
	wait $srv || fail "server exited $?"
	[ "$(sha "$TMP/up")" = "$(sha "$TMP/up.got")" ] ||
		fail "sent $(stat -c %s "$TMP/up") bytes, received $(stat -c %s "$TMP/up.got"), digests differ"
}

# The client's input ends at once: it half-closes, and still receives the
# server's 3 MiB, which the server sends after reading the client's line.
t_half_close_then_server_to_client_sha256() {
	head -c 3145728 /dev/urandom >"$TMP/down"
	ip netns exec $S "$cat" -l 9001 <"$TMP/down" >"$TMP/hello.got" &
	local srv=$!
	us_wait_listen $S 9001
	echo hello | timeout 120 ip netns exec $C "$cat" $SADDR:9001 >"$TMP/down.got" ||
		fail "client exited $?"
	wait $srv || fail "server exited $?"
	[ "$(cat "$TMP/hello.got")" = hello ] || fail "server read '$(cat "$TMP/hello.got")'"
	[ "$(sha "$TMP/down")" = "$(sha "$TMP/down.got")" ] ||
		fail "received $(stat -c %s "$TMP/down.got") of 3145728 bytes, digests differ"
}

# Both ends send at once, each far more than the two sockets of the
# connection buffer together.  A ttpcat that blocks in write() to the
# socket stops reading it: once both receive windows are full, both block
# for good (issue 13).  The sockets get buffers of 16 KiB (the default of
# net.core.[rw]mem_default, global, for this test only), so that one
# direction holds at most about 52 KiB (the send buffer and a segment, the
# receive queue's twice its buffer and a segment): less than one write of
# 64 KiB, so that a tool that blocks in write() deadlocks at its first
# whatever the timing.  The transfer waits for nothing but its data; the
# timeout, far longer than it takes, only turns a deadlock into a failure
# before the program's own limit.
t_both_ways_at_once_no_deadlock() {
	local rmem wmem buf=16384 bytes lim=240 srv cli rs=0 rc=0
	rmem=$(cat /proc/sys/net/core/rmem_default)
	wmem=$(cat /proc/sys/net/core/wmem_default)
	# shellcheck disable=SC2064
	trap "sysctl -qw net.core.rmem_default=$rmem net.core.wmem_default=$wmem" EXIT
	sysctl -qw net.core.rmem_default=$buf net.core.wmem_default=$buf
	bytes=$((8 << 20))
	# About 6 ms a segment on the debug lane: less data, still 32 times
	# what the sockets hold.
	if [ "${TTP_LANE:-}" = debug ]; then
		bytes=$((1 << 20))
		lim=480
	fi
	echo "$bytes bytes each way, socket buffers of $buf bytes"
	head -c "$bytes" /dev/urandom >"$TMP/c2s"
	head -c "$bytes" /dev/urandom >"$TMP/s2c"
	timeout $lim ip netns exec $S "$cat" -l 9005 <"$TMP/s2c" >"$TMP/c2s.got" &
	srv=$!
	us_wait_listen $S 9005
	timeout $lim ip netns exec $C "$cat" $SADDR 9005 <"$TMP/c2s" >"$TMP/s2c.got" &
	cli=$!
	wait $cli || rc=$?
	wait $srv || rs=$?
	echo "client exited $rc, received $(stat -c %s "$TMP/s2c.got") bytes;" \
		"server exited $rs, received $(stat -c %s "$TMP/c2s.got") bytes"
	[ $rc -ne 124 ] && [ $rs -ne 124 ] ||
		fail "still running after $lim s: deadlocked"
	[ $rc -eq 0 ] || fail "the client exited $rc"
	[ $rs -eq 0 ] || fail "the server exited $rs"
	cmp "$TMP/c2s" "$TMP/c2s.got" || fail "the server received other data"
	cmp "$TMP/s2c" "$TMP/s2c.got" || fail "the client received other data"
}

# A peer that goes with data unread resets the connection (RST): the
# sender, waiting for room to send, reports the socket's error and exits 1.
t_reset_by_peer_reported_exit_1() {
	local srv cli rc=0
	ip netns exec $S "$cat" -v -l 9006 </dev/null >/dev/null 2>"$TMP/rst.srv" &
	srv=$!
	us_wait_listen $S 9006
	# The timeout only so that a client that never notices fails.
	timeout 300 ip netns exec $C "$cat" $SADDR 9006 </dev/zero >/dev/null \
		2>"$TMP/rst.err" &
	cli=$!
	until grep -q connected "$TMP/rst.srv"; do
		kill -0 $cli 2>/dev/null || fail "the client ended: $(cat "$TMP/rst.err")"
		sleep 0.1
	done
	kill -STOP $srv
	# Data waits in the stopped server's receive queue (rx_queue, hex; the
	# connection is in FIN_WAIT2, as the server's input ended at once).
	until ip netns exec $S awk 'NR > 1 && $4 != "0A" {
			split($5, q, ":"); if (q[2] != "00000000") f = 1 }
			END { exit !f }' /proc/net/ttp; do
		kill -0 $cli 2>/dev/null || fail "the client ended: $(cat "$TMP/rst.err")"
		sleep 0.1
	done
	kill -KILL $srv
	wait $srv 2>/dev/null || true
	wait $cli || rc=$?
	cat "$TMP/rst.err"
	[ $rc -ne 124 ] || fail "the client did not notice the reset"
	[ $rc -eq 1 ] || fail "exit status $rc, not 1"
	grep -qE '^ttpcat: (connection|send|receive): Connection reset by peer$' \
		"$TMP/rst.err" || fail "no message of the reset"
}

t_keep_open_serves_three_clients() {
	ip netns exec $S "$cat" -k -l 9002 >"$TMP/all" </dev/null &
	local srv=$! i
	us_wait_listen $S 9002
	for i in 1 2 3; do
		echo "client $i" | timeout 30 ip netns exec $C "$cat" $SADDR 9002 ||
			fail "client $i exited $?"
	done
	kill -0 $srv 2>/dev/null || fail "the server did not keep listening"
	kill $srv
	wait $srv 2>/dev/null || true
	[ "$(cat "$TMP/all")" = "$(printf 'client 1\nclient 2\nclient 3')" ] ||
		fail "server got: $(cat "$TMP/all")"
}

t_verbose_shows_addresses_and_negotiation() {
	ip netns exec $S "$cat" -v -l 9003 >/dev/null 2>"$TMP/srv.err" </dev/null &
	local srv=$! out
	us_wait_listen $S 9003
	out=$(echo x | timeout 30 ip netns exec $C "$cat" -v $SADDR 9003 2>&1 >/dev/null) ||
		fail "client exited $?: $out"
	wait $srv || fail "server exited $?"
	echo "$out"
	echo "$out" | grep -qE "^ttpcat: connected $CADDR:[0-9]+ -> $SADDR:9003$" ||
		fail "no address line"
	echo "$out" | grep -qE '^ttpcat: mss [0-9]+, window scale [0-9]+/[0-9]+, checksum crc32c, sack (on|off), congestion control newreno$' ||
		fail "no negotiation line"
	grep -q "listening on 0.0.0.0:9003" "$TMP/srv.err" || fail "server: $(cat "$TMP/srv.err")"
	grep -qE "connected $SADDR:9003 -> $CADDR:[0-9]+" "$TMP/srv.err" ||
		fail "server: $(cat "$TMP/srv.err")"
}

t_refused_connection_exits_1() {
	local out rc=0
	out=$(ip netns exec $C "$cat" $SADDR 9 </dev/null 2>&1) || rc=$?
	[ $rc -eq 1 ] || fail "exit status $rc, not 1: $out"
	echo "$out" | grep -q "connect to $SADDR port 9: Connection refused" ||
		fail "message: $out"
}

t_port_in_use_exits_1() {
	ip netns exec $S "$cat" -l 9004 </dev/null >/dev/null &
	local srv=$! out rc=0
	us_wait_listen $S 9004
	out=$(ip netns exec $S "$cat" -l 9004 </dev/null 2>&1) || rc=$?
	kill $srv
	[ $rc -eq 1 ] || fail "exit status $rc, not 1: $out"
	echo "$out" | grep -q "Address already in use" || fail "message: $out"
}

stat_of() { ip netns exec "$1" awk -v k="$2" '$1 == k { print $2 }' /proc/net/ttp_stats; } # NS NAME

# Key files: each host's key for the other, one secret.
keys() {
	echo "# the client, signing with id 1" >"$TMP/keys.s"
	echo "$CADDR 1 1 hex:000102030405060708090a0b0c0d0e0f ${1:-}" >>"$TMP/keys.s"
	echo "$SADDR/24 1 1 hex:000102030405060708090a0b0c0d0e0f" >"$TMP/keys.c"
}

# 32 MiB (8 on 6.1, 1 on the debug lane) from client to server, every
# segment signed, through 1% loss and 25% reordering each way: byte-exact,
# no MAC refused, and every segment the server took was verified.
t_key_file_signed_transfer_under_loss_and_reordering() {
	local mib good segs
	mib=$(ttp_volume 32)
	keys
	head -c $((mib << 20)) /dev/urandom >"$TMP/signed"
	ip netns exec $S tc qdisc replace dev veth-s root netem delay 2ms \
		reorder 25% 50% loss 1% || fail "netem on the server"
	ip netns exec $C tc qdisc replace dev veth-c root netem delay 2ms \
		reorder 25% 50% loss 1% || fail "netem on the client"
	ip netns exec $S "$cat" -v --key-file "$TMP/keys.s" -l $SADDR 9005 \
		>"$TMP/signed.got" 2>"$TMP/signed.err" </dev/null &
	local srv=$!
	us_wait_listen $S 9005
	timeout 600 ip netns exec $C "$cat" --key-file "$TMP/keys.c" $SADDR 9005 \
		<"$TMP/signed" >/dev/null || fail "client exited $?"
	wait $srv || fail "server exited $?"
	ip netns exec $S tc qdisc del dev veth-s root
	ip netns exec $C tc qdisc del dev veth-c root
	cmp -s "$TMP/signed" "$TMP/signed.got" ||
		fail "received $(stat -c %s "$TMP/signed.got") of $((mib << 20)) bytes, or other bytes"
	grep -q "segments signed, key id 1" "$TMP/signed.err" ||
		fail "server: $(cat "$TMP/signed.err")"
	[ "$(stat_of $S TtpAuthBad)" = 0 ] && [ "$(stat_of $C TtpAuthBad)" = 0 ] ||
		fail "MACs refused: $(stat_of $S TtpAuthBad) and $(stat_of $C TtpAuthBad)"
	good=$(stat_of $S TtpAuthGood)
	segs=$(stat_of $S TtpInSegs)
	[ "$good" -ge $((mib << 20 >> 11)) ] || fail "only $good segments verified"
	echo "# $good of $segs segments in verified"
}

# The server's key differs: the client's SYNs are dropped, unanswered, and
# counted; the client gives up (one SYN retransmission here) with exit 1.
t_key_file_wrong_key_times_out_exit_1() {
	local out rc=0 retries
	keys
	sed -i 's/0e0f/0e0e/' "$TMP/keys.c"
	retries=$(ip netns exec $C sysctl -n net.ttp.syn_retries)
	ip netns exec $C sysctl -qw net.ttp.syn_retries=1
	ip netns exec $S "$cat" --key-file "$TMP/keys.s" -l $SADDR 9006 </dev/null >/dev/null &
	local srv=$! bad
	us_wait_listen $S 9006
	bad=$(stat_of $S TtpAuthBad)
	out=$(ip netns exec $C "$cat" --key-file "$TMP/keys.c" $SADDR 9006 </dev/null 2>&1) || rc=$?
	ip netns exec $C sysctl -qw net.ttp.syn_retries="$retries"
	kill $srv
	[ $rc -eq 1 ] || fail "exit status $rc, not 1: $out"
	echo "$out" | grep -q "timed out" || fail "message: $out"
	[ "$(stat_of $S TtpAuthBad)" -ge $((bad + 2)) ] ||
		fail "TtpAuthBad went from $bad to $(stat_of $S TtpAuthBad), not by 2"
}

t_key_file_that_does_not_parse_exits_2() {
	local out rc=0
	printf '# keys\n\n10.0.0.1 1 1 secret\n10.0.0.2 1 one secret\n' >"$TMP/keys.bad"
	out=$("$cat" --key-file "$TMP/keys.bad" $SADDR 9007 </dev/null 2>&1) || rc=$?
	[ $rc -eq 2 ] || fail "exit status $rc, not 2: $out"
	echo "$out" | grep -q "keys.bad, line 4: not a valid key" || fail "message: $out"
	rc=0
	out=$("$cat" --key-file "$TMP/none" $SADDR 9007 </dev/null 2>&1) || rc=$?
	[ $rc -eq 2 ] || fail "exit status $rc, not 2: $out"
	echo "$out" | grep -q "none: No such file or directory" || fail "message: $out"
}

us_require ttpcat
trap us_cleanup EXIT
ttp_plan 11
us_setup || { echo "Bail out! cannot build the network namespaces"; exit 1; }
ttp_run client_to_server_4mib_sha256 t_client_to_server_4mib_sha256
ttp_run half_close_then_server_to_client_sha256 t_half_close_then_server_to_client_sha256
ttp_run both_ways_at_once_no_deadlock t_both_ways_at_once_no_deadlock
ttp_run reset_by_peer_reported_exit_1 t_reset_by_peer_reported_exit_1
ttp_run keep_open_serves_three_clients t_keep_open_serves_three_clients
ttp_run verbose_shows_addresses_and_negotiation t_verbose_shows_addresses_and_negotiation
ttp_run refused_connection_exits_1 t_refused_connection_exits_1
ttp_run port_in_use_exits_1 t_port_in_use_exits_1
ttp_run key_file_signed_transfer_under_loss_and_reordering t_key_file_signed_transfer_under_loss_and_reordering
ttp_run key_file_wrong_key_times_out_exit_1 t_key_file_wrong_key_times_out_exit_1
ttp_run key_file_that_does_not_parse_exits_2 t_key_file_that_does_not_parse_exits_2
ttp_done
