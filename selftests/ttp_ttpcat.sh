#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# ttpcat between two hosts (network namespaces over veth): random data
# verified by SHA-256 in both directions, half-close, -k serving clients one
# after another, -v showing the negotiated parameters, exit statuses.
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
	echo "$out" | grep -qE '^ttpcat: mss [0-9]+, window scale [0-9]+/[0-9]+, checksum crc32c, sack (on|off)$' ||
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

us_require ttpcat
trap us_cleanup EXIT
ttp_plan 6
us_setup || { echo "Bail out! cannot build the network namespaces"; exit 1; }
ttp_run client_to_server_4mib_sha256 t_client_to_server_4mib_sha256
ttp_run half_close_then_server_to_client_sha256 t_half_close_then_server_to_client_sha256
ttp_run keep_open_serves_three_clients t_keep_open_serves_three_clients
ttp_run verbose_shows_addresses_and_negotiation t_verbose_shows_addresses_and_negotiation
ttp_run refused_connection_exits_1 t_refused_connection_exits_1
ttp_run port_in_use_exits_1 t_port_in_use_exits_1
ttp_done
