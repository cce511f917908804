#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Reliable transfer over a bad network: two network namespaces joined by
# veth, "tc netem" on both ends of the link, and ttp_bulk moving
# pseudo-random data that the receiving side compares byte for byte.
# Every test also checks that the counters of the mechanism it exercises
# moved (/proc/net/ttp_stats of the namespace that must have counted).
# The transfers on a clean link run twice: with large segments
# (net.ttp.gso 1, the default) and without (gso 0: every packet an MSS).
# Under each impairment the one transfer runs both ways at once, the
# server sending large segments and the client MSS-sized ones (gso 0 on
# its side), so that each impairment hits the sending and the receiving
# of both kinds: netem sees a large segment whole (and cuts it when it
# corrupts it), and hits it as one packet, so that under impairments
# large segments are kept to two MSS (and the volume doubled on the debug
# lane): every impairment hits thousands of packets either way.
# The transfers under loss run with NewReno (net.ttp.congestion_control's
# default); 5% loss runs with CUBIC too; both ends say which controller
# they used (TTP_INFO, printed by ttp_bulk).
#
# TTP_RELIABLE_MIB sets the MiB moved each way: 16 by default, 4 on the
# 6.1 lane (as ttp_volume), 1 on the debug lane, whose checkers make every
# segment cost several times more (there the point is what they find, not
# the volume).  16 MiB is over
# 11,000 segments each way: each impairment hits hundreds of them, and
# the counters of every mechanism move; twice that proved nothing more.
# The slow reader moves a tenth of that: at its 100 KiB/s, 1.6 MiB close
# and reopen its 16 KiB window a hundred times, which is what it is there
# to show.
cd "$(dirname "$0")" || exit 1
. ./lib.sh

bulk=$PWD/ttp_bulk
S=ttp-rs-$$
C=ttp-rc-$$
SADDR=10.78.0.1
CADDR=10.78.0.2
# The slow reader's own pair of namespaces, on a clean link: its transfer
# takes minutes and runs while the other tests do.
WS=ttp-ws-$$
WC=ttp-wc-$$
tmp=$(mktemp -d)
MIB=16
[ "${TTP_LANE:-}" = 6.1 ] && MIB=4
[ "${TTP_LANE:-}" = debug ] && MIB=1
MIB=${TTP_RELIABLE_MIB:-$MIB}
BYTES=$((MIB << 20))
SLOW_BYTES=$((BYTES / 10))
PORT=6000

setup() {
	local ns
	ttp_pair $S $C $SADDR $CADDR || return 1
	ttp_pair $WS $WC $SADDR $CADDR || return 1
	for ns in $S $C $WS $WC; do
		ip netns exec $ns sysctl -qw net.ttp.time_wait_ms=500
	done
}

cleanup() {
	ttp_ns_del $S $C $WS $WC
	rm -rf "$tmp"
}

# netem ARGS...: the same impairment on both ends of the link; none: clean.
# netem decides per packet, and a large segment is one packet for it: under
# an impairment the link takes large segments of two MSS (gso_max_size),
# so that it hits half as many packets as without them, not a fortieth.
netem() {
	local ns dev
	for ns in $S $C; do
		dev=veth-${ns:5:1}
		if [ "$1" = none ]; then
			ip netns exec $ns tc qdisc del dev $dev root 2>/dev/null || true
			ip -n $ns link set dev $dev gso_max_size 65536
		else
			ip -n $ns link set dev $dev gso_max_size 4096 || return 1
			ip netns exec $ns tc qdisc replace dev $dev root netem "$@" ||
				return 1
		fi
	done
}

# snap NS: remember the counters of NS; moved NS NAME: how far NAME moved
# since.
declare -A base
snap() {
	local n v
	while read -r n v; do
		base[$1.$n]=$v
	done < <(ip netns exec "$1" cat /proc/net/ttp_stats)
}
moved() {
	local now
	now=$(ip netns exec "$1" awk -v n="$2" '$1 == n {print $2}' /proc/net/ttp_stats)
	echo $((now - ${base[$1.$2]:-0}))
}

# expect_moved NS NAME...: each counter moved; shows how far.
expect_moved() {
	local ns=$1 n m
	shift
	for n in "$@"; do
		m=$(moved "$ns" "$n")
		echo "  $ns $n +$m"
		[ "$m" -gt 0 ] || { dump; fail "$n of $ns did not move"; }
	done
}

dump() {
	local ns
	for ns in $S $C; do
		echo "counters of $ns that moved:"
		ip netns exec $ns cat /proc/net/ttp_stats | while read -r n v; do
			[ "$v" != "${base[$ns.$n]:-0}" ] && echo "  $n $((v - ${base[$ns.$n]:-0}))"
		done
		echo "sockets of $ns:"
		ip netns exec $ns sed 's/^/  /' /proc/net/ttp
	done
}

# xfer UP DOWN [SERVER_OPTS [CLIENT_OPTS [CONNS]]]: one transfer, counted
# from a fresh snapshot; prints the client's report.
xfer() {
	local up=$1 down=$2 sopts=${3:-} copts=${4:-} conns=${5:-1} out rc=0
	PORT=$((PORT + 1))
	snap $S
	snap $C
	# shellcheck disable=SC2086
	ip netns exec $S "$bulk" server -p $PORT -c "$conns" $sopts >$tmp/server 2>&1 &
	local spid=$!
	wait_listening $tmp/server || fail "the server did not start: $(cat $tmp/server)"
	# shellcheck disable=SC2086
	out=$(ip netns exec $C timeout 600 "$bulk" client -a $SADDR -p $PORT \
		-n "$conns" -u "$up" -d "$down" $copts 2>&1) || rc=$?
	echo "  $out"
	echo "$out" >$tmp/client
	if [ $rc -ne 0 ]; then
		kill $spid 2>/dev/null
		sed 's/^/  server: /' $tmp/server | tail -5
		dump
		fail "client failed with status $rc"
	fi
	wait $spid || { sed 's/^/  server: /' $tmp/server | tail -5; fail "server failed"; }
}

wait_listening() { ttp_wait_grep "$1" listening; } # SERVER_OUTPUT

# Both ways at once, under the impairment given.
profile() {
	local bytes=$BYTES
	# On the debug lane's 1 MiB, as many packets of large segments as
	# of MSS-sized ones (netem()); elsewhere there are thousands either
	# way.
	[ "${TTP_LANE:-}" = debug ] && [ "$GSO" != 0 ] && bytes=$((BYTES * 2))
	netem "$@" || fail "netem $* failed"
	xfer $bytes $bytes
	netem none
	# Nothing corrupted reached an application: the checksum caught it.
	echo "  $S TtpInCsumErrors +$(moved $S TtpInCsumErrors), $C +$(moved $C TtpInCsumErrors)"
}

t_clean_upload() {
	xfer $BYTES 0
	local segs acks
	segs=$(moved $C TtpOutSegs)
	acks=$(moved $S TtpOutSegs)
	echo "  $segs segments sent, $acks acknowledgments"
	if [ "$GSO" = 1 ]; then
		# One ACK for each large segment (and window updates), as TCP
		# acknowledges what GRO merged: large segments hold 40 or so.
		[ "$acks" -lt $((segs / 8)) ] ||
			fail "more than one ACK for every 8 segments"
	else
		# Delayed ACKs: the receiver acknowledged every second segment.
		[ "$acks" -lt $((segs * 3 / 4)) ] ||
			fail "an ACK for nearly every segment"
		expect_moved $S TtpDelayedAcks
	fi
}

t_clean_download() {
	xfer 0 $BYTES
	[ "$(moved $C TtpOutSegs)" -lt "$(moved $S TtpOutSegs)" ] ||
		fail "the receiver sent as many segments as the sender"
}

t_clean_both_ways() {
	profile none
}

# congestion NAME: net.ttp.congestion_control at both ends, for the
# connections that follow.
congestion() {
	ip netns exec $S sysctl -qw net.ttp.congestion_control="$1" &&
		ip netns exec $C sysctl -qw net.ttp.congestion_control="$1"
}

# expect_cc NAME: both ends of the last transfer said (from TTP_INFO, as
# ttp_bulk prints it) that NAME controlled their windows.
expect_cc() {
	grep -q ", cc $1, mss " $tmp/client || fail "the client's cc was not $1"
	grep -q ", cc $1, mss " $tmp/server || fail "the server's cc was not $1"
}

t_loss() { # PERCENT [CONGESTION_CONTROL]
	local cc=${2:-newreno}
	congestion "$cc" || fail "no congestion control $cc"
	profile loss "$1%"
	congestion newreno
	expect_cc "$cc"
	expect_moved $C TtpRetransSegs TtpFastRetrans TtpSackRecoveries TtpInSackBlocks
	expect_moved $S TtpRetransSegs TtpInOfoSegs
}

t_loss_without_sack() {
	ip netns exec $C sysctl -qw net.ttp.sack=0
	profile loss 5%
	ip netns exec $C sysctl -qw net.ttp.sack=1
	expect_moved $C TtpRetransSegs TtpFastRetrans TtpRenoRecoveries
	[ "$(moved $C TtpSackRecoveries)" = 0 ] || fail "SACK used though not offered"
	[ "$(moved $C TtpInSackBlocks)" = 0 ] || fail "SACK blocks arrived though not offered"
}

t_delay_reorder() {
	profile delay 10ms 5ms reorder 25%
	expect_moved $S TtpInOfoSegs
	expect_moved $C TtpInOfoSegs TtpInSackBlocks
}

t_duplication() {
	profile duplicate 5%
	expect_moved $S TtpInDupSegs
	expect_moved $C TtpInDupSegs
}

t_corruption() {
	profile corrupt 1%
	expect_moved $S TtpInCsumErrors TtpRetransSegs
	expect_moved $C TtpInCsumErrors TtpRetransSegs
}

t_everything_at_once() {
	profile delay 10ms 5ms reorder 25% loss 1% duplicate 5% corrupt 1%
	expect_moved $C TtpRetransSegs TtpInSackBlocks TtpInCsumErrors TtpInDupSegs TtpInOfoSegs
	expect_moved $S TtpRetransSegs TtpInSackBlocks TtpInCsumErrors TtpInDupSegs TtpInOfoSegs
}

# The whole transfer read 1 KiB every 10 ms, after a 2 s stop, behind a
# 16 KiB receive buffer: the window closes, the sender probes it, and every
# byte arrives.  The sender's buffer is 16 KiB too (SO_SNDBUF: no
# autotuning), so that its writes wait for the reader.  Started before the other tests (start_slow_reader), on its
# own link; the test collects the result.
start_slow_reader() {
	snap $WS
	snap $WC
	(
		ip netns exec $WS "$bulk" server -p 5999 -c 1 -R 16384 -P 2000 \
			-w $SLOW_BYTES >$tmp/slow-server 2>&1
		echo $? >$tmp/slow-server.rc
	) &
	wait_listening $tmp/slow-server || cat $tmp/slow-server
	(
		ip netns exec $WC timeout 900 "$bulk" client -a $SADDR -p 5999 \
			-S 16384 -u $SLOW_BYTES >$tmp/slow-client 2>&1
		echo $? >$tmp/slow-client.rc
	) &
}

t_slow_reader() {
	local end=$((SECONDS + 900)) need_s=$((SLOW_BYTES / 1024 / 100))
	while [ ! -e $tmp/slow-server.rc ] || [ ! -e $tmp/slow-client.rc ]; do
		[ $SECONDS -lt $end ] || break
		sleep 1
	done
	sed 's/^/  /' $tmp/slow-client
	sed 's/^/  /' $tmp/slow-server | tail -5
	[ "$(cat $tmp/slow-client.rc 2>/dev/null)" = 0 ] || fail "client failed"
	[ "$(cat $tmp/slow-server.rc 2>/dev/null)" = 0 ] || fail "server failed"
	expect_moved $WC TtpZeroWindowProbes
	[ "$(moved $WS TtpRcvQDrops)" = 0 ] || fail "the receiver dropped data"
	# The reader set the pace: at 100 KiB/s, at least need_s seconds.
	local took
	took=$(sed -n 's/.* \([0-9][0-9]*\)\.[0-9]* s.*/\1/p' $tmp/slow-client | head -1)
	[ -n "$took" ] && [ "$took" -ge "$need_s" ] ||
		fail "took ${took:-?} s, not at least $need_s s: the reader was not slow"
}

t_50_parallel() {
	local each=$(((BYTES / 50 + 65535) / 65536 * 65536))
	netem loss 1% || fail "netem failed"
	xfer $each $each "" "" 50
	netem none
	expect_moved $C TtpRetransSegs
	[ "$(moved $S TtpPassiveOpens)" = 50 ] || fail "not 50 connections"
}

# rto_of NS PORT: the RTO in ms of NS's connection to PORT, from
# /proc/net/ttp (rem_address AAAAAAAA:PPPP; st 01 ESTABLISHED or 08
# CLOSE_WAIT, for a server that sends nothing closes its half at once;
# rto in us).
rto_of() {
	ip netns exec "$1" awk -v p="$(printf ':%04X' "$2")" '
		NR == 1 { for (i = 1; i <= NF; i++) if ($i == "rto") col = i - 2 }
		NR > 1 && substr($3, 9) == p && ($4 == "01" || $4 == "08") { print int($col / 1000); exit }
	' /proc/net/ttp
}

sent_segs() { [ "$(moved "$1" TtpOutSegs)" -ge "$2" ]; } # NS N

# The peer disappears mid-transfer: the sender fails with ETIMEDOUT within
# the bound Documentation/protocol.rst gives: the sum over retries + 1
# expiries of the backed-off RTO, each at most rto_max_ms. With
# net.ttp.retries 4 and rto_max_ms 1000, and the RTO the connection had
# when its link went: sum over k = 0..4 of min(RTO * 2^k, 1000 ms).
t_vanished_peer_times_out() {
	local start end rc=0 bound_ms=0 rto rto0 i took
	ip netns exec $C sysctl -qw net.ttp.retries=4 net.ttp.rto_max_ms=1000
	PORT=$((PORT + 1))
	ip netns exec $S "$bulk" server -p $PORT -c 1 >$tmp/server 2>&1 &
	local spid=$!
	wait_listening $tmp/server || fail "the server did not start: $(cat $tmp/server)"
	snap $C
	ip netns exec $C "$bulk" client -a $SADDR -p $PORT -u $((1 << 30)) \
		>$tmp/client 2>&1 &
	local cpid=$!
	# The link goes once the transfer is under way (a few hundred
	# segments: the RTO rests on measured round trips).
	ttp_wait_for $TTP_READY_S sent_segs $C 300 || fail "the transfer did not start"
	# The RTO just before the link goes, and just after if the connection
	# is still there to read (on a slow machine it may have timed out
	# already; an ACK may have moved the RTO in between): the larger.
	rto0=$(rto_of $C $PORT)
	[ -n "$rto0" ] || fail "no connection to port $PORT"
	ip -n $S link del veth-s
	start=$(date +%s%N)
	rto=$(rto_of $C $PORT)
	[ -n "$rto" ] && [ "$rto" -gt "$rto0" ] && rto0=$rto
	rto=$rto0
	for i in $(seq 0 4); do
		bound_ms=$((bound_ms + (rto < 1000 ? rto : 1000)))
		rto=$((rto * 2))
	done
	# While the connection lasts, its backed-off RTO never passes
	# rto_max_ms (the doubling is capped): what the bound rests on,
	# read from the connection itself rather than from a clock.
	local max_rto=0
	while kill -0 $cpid 2>/dev/null; do
		rto=$(rto_of $C $PORT)
		[ -n "$rto" ] && [ "$rto" -gt $max_rto ] && max_rto=$rto
		sleep 0.05
	done
	wait $cpid || rc=$?
	end=$(date +%s%N)
	took=$(((end - start) / 1000000))
	ip netns exec $C sysctl -qw net.ttp.retries=15 net.ttp.rto_max_ms=120000
	cat $tmp/client
	echo "  failed after $took ms (RTO $rto0 ms when the link went, at most $max_rto ms since, bound $bound_ms ms)"
	[ $rc -eq 5 ] || fail "status $rc, not 5 (ETIMEDOUT)"
	[ $max_rto -le 1000 ] || fail "the RTO grew to $max_rto ms, past rto_max_ms (1000)"
	# Five expiries of at most a second each: the timer wheel's rounding
	# (up to 32 ms an expiry at HZ 250, protocol.rst "Timers") and the
	# client's exit take far less than the 10 s of margin, which only a
	# timer that stalls or backs off without its cap (as RTOs of 120 s
	# did) would use up; the check does not hang on the machine's speed.
	[ $took -le $((bound_ms + 10000)) ] || fail "took longer than the bound"
	expect_moved $C TtpTimeouts
	# The server waits for a peer that is gone: it goes too.
	kill $spid 2>/dev/null
	wait $spid 2>/dev/null || true
	# Put the link back for what follows.
	ip link add veth-s netns $S type veth peer name veth-c2 netns $C
	ip -n $C link del veth-c 2>/dev/null || true
	ip -n $C link set veth-c2 name veth-c
	ip -n $S addr add $SADDR/24 dev veth-s
	ip -n $C addr add $CADDR/24 dev veth-c
	ip -n $S link set veth-s up
	ip -n $C link set veth-c up
}

# Each test from its own range of ports.
run() {
	PORT=$((PORT + 100))
	ttp_run "$@"
}

# gso 1|0: net.ttp.gso at both ends, for the transfers that follow (with
# it off, every segment is cut to the MSS when it is written).
GSO=1
gso() {
	GSO=$1
	ip netns exec $S sysctl -qw net.ttp.gso=$1
	ip netns exec $C sysctl -qw net.ttp.gso=$1
}

# The transfers, with large segments (NAME) and without (NAME_gso_off).
both() {
	local name=$1
	shift
	gso 1
	run "$name" "$@"
	gso 0
	run "${name}_gso_off" "$@"
	gso 1
}

# mixed NAME TEST ARGS...: the transfer with large segments from the
# server, MSS-sized ones from the client.
mixed() {
	GSO=mixed
	ip netns exec $C sysctl -qw net.ttp.gso=0
	run "$@"
	gso 1
}

trap cleanup EXIT
ttp_plan 18
setup || { echo "Bail out! cannot build the network namespaces"; exit 1; }
echo "# ${MIB} MiB each way"
start_slow_reader
both clean_link_upload t_clean_upload
both clean_link_download t_clean_download
both clean_link_both_ways t_clean_both_ways
mixed loss_1_percent t_loss 1
mixed loss_5_percent t_loss 5
mixed loss_5_percent_cubic t_loss 5 cubic
mixed loss_10_percent t_loss 10
mixed loss_5_percent_without_sack t_loss_without_sack
mixed delay_10ms_jitter_reorder_25_percent t_delay_reorder
mixed duplication_5_percent t_duplication
mixed corruption_1_percent t_corruption
mixed all_impairments_at_once t_everything_at_once
run slow_reader_small_rcvbuf t_slow_reader
run 50_parallel_transfers t_50_parallel
run vanished_peer_times_out t_vanished_peer_times_out
ttp_done
