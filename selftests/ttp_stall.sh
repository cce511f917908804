#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# After a stall, the RTO comes back: a path that stops carrying packets
# for a while leaves segments that arrived once but whose ACKs were lost;
# the retransmission that ends the stall is answered by an ACK that covers
# them too.  Such an ACK must give no round-trip sample (Karn's rule per
# ACK, protocol.rst "Round-trip time and RTO"): a sample from a segment
# sent once before the stall measures the whole stall, and fed into the
# RTO it keeps it near the stall's length (issue 13: locked at 120 s).
#
# Every stall is ended on what /proc/net/ttp shows, not on a duration:
# the path is restored once the sender's retransmission timer has expired
# STALL_TIMEOUTS (3) times, RTO x (1 + 2 + 4) after the data was sent, and
# the retransmission that gets through goes RTO x 8 later: RTO x 15 after
# the data it acknowledges was first sent.
#
# The bound: once the first ACK of new data after the path is back has
# arrived (one round trip: the retransmission and its ACK), the sender's
# RTO is at most max(2 x the RTO it had just before the stall, 1 s).  A
# sample from a segment sent before the stall would make it about 1.125 x
# the stall, at least 15 x the RTO before it.
#
#   return_path_stall_rto_recovers   one way; everything the receiver
#       sends is dropped while the sender's data still arrives (in order:
#       the receiver has all of it, the sender none of its ACKs).  8 KiB
#       written during the stall, once the congestion window holds them
#       (64 KiB more on the clean path until it does); the bound is
#       checked when they are acknowledged, which one ACK does.  SACK on,
#       then off.
#   link_down_both_ways_transfer_completes   ttp_bulk both ways at once
#       over a link with 20 ms of delay each way, both writers blocked in
#       write().  Once the client's handshake is done, and before it
#       sends anything (ttp_bulk -G waits for a go byte), the link
#       fails one way (the server's packets are dropped: the client's data
#       still arrives, its ACKs do not), so that neither side sends more
#       than its first window, and once the client's timer has expired,
#       the other way too, until both sides' timers expired STALL_TIMEOUTS
#       times.  The bound is checked on each side at the first sight of
#       progress after the link is back (its count of expiries back to 0);
#       every byte must then arrive, verified.  ttp_volume(4) MiB each way
#       (at least 1 MiB: more than a window, and than a socket buffer).
cd "$(dirname "$0")" || exit 1
. ./lib.sh

ttpcat=$PWD/../userspace/ttpcat
bulk=$PWD/ttp_bulk
S=ttp-ss-$$
C=ttp-sc-$$
SADDR=10.79.0.1
CADDR=10.79.0.2
STALL_TIMEOUTS=3
tmp=$(mktemp -d)
PORT=6500
MIB=$(ttp_volume 4)

setup() {
	ttp_pair $S $C $SADDR $CADDR || return 1
	ip netns exec $S sysctl -qw net.ttp.time_wait_ms=500
	ip netns exec $C sysctl -qw net.ttp.time_wait_ms=500
	# A process in each namespace: /proc/PID/net/ttp is read without
	# entering the namespace (no fork in the polling loops).
	ip netns exec $S sleep 100000 >/dev/null 2>&1 &
	SPID=$!
	ip netns exec $C sleep 100000 >/dev/null 2>&1 &
	CPID=$!
	# A descriptor nothing is ever written to: read -t on it is a sleep
	# that forks nothing.
	exec {nap}<> <(:)
}

cleanup() {
	ttp_ns_del $S $C
	rm -rf "$tmp"
}

nap() { read -r -t "$1" -u "$nap" _ || true; }

# conn NSPID PORT: the connection whose local or remote port is PORT, in
# the namespace of process NSPID, into K (columns of /proc/net/ttp by the
# names of its header; tx_queue and retrnsmt decoded from hex).
declare -A K
conn() {
	local p h f i
	printf -v p ':%04X' "$2"
	{
		read -r -a h
		while read -r -a f; do
			[ "${f[3]}" = 0A ] && continue
			[[ ${f[1]} == *"$p" || ${f[2]} == *"$p" ]] || continue
			K=()
			K[st]=${f[3]}
			K[tx_queue]=$((16#${f[4]%%:*}))
			for ((i = 8; i < ${#h[@]}; i++)); do
				K[${h[i]}]=${f[i - 2]}
			done
			K[retrnsmt]=$((16#${f[6]}))
			return 0
		done
	} </proc/"$1"/net/ttp
	return 1
}

# listening NSPID PORT: a listener on PORT.
listening() {
	local p f
	printf -v p ':%04X' "$2"
	while read -r -a f; do
		[ "${f[3]}" = 0A ] && [[ ${f[1]} == *"$p" ]] && return 0
	done </proc/"$1"/net/ttp
	return 1
}

# stat_of NSPID NAME: a counter of /proc/net/ttp_stats.
stat_of() {
	local n v
	while read -r n v; do
		[ "$n" = "$2" ] && { echo "$v"; return; }
	done </proc/"$1"/net/ttp_stats
	echo 0
}

show() { # NSPID PORT WHO
	conn "$1" "$2" || { echo "  $3: no connection"; return; }
	echo "  $3: st ${K[st]} tx_queue ${K[tx_queue]} retrnsmt ${K[retrnsmt]}" \
		"rto ${K[rto]} srtt ${K[srtt]} rttvar ${K[rttvar]} cwnd ${K[cwnd]}" \
		"retrans ${K[retrans]} ca ${K[ca]}"
}

# until LIMIT_S WHAT CMD...: poll CMD every 10 ms until it succeeds; fail
# after LIMIT_S seconds (a bound on a hang, far above what it needs).
until_ok() {
	local limit=$1 end=$((SECONDS + $1)) what=$2
	shift 2
	until "$@"; do
		[ $SECONDS -lt $end ] || { diag; fail "$what: not within $limit s"; }
		nap 0.01
	done
}

# What a failed test leaves to look at.
diag() {
	local f
	for f in $tmp/*.err $tmp/bs $tmp/bc; do
		[ -s "$f" ] && sed "s|^|  ${f##*/}: |" "$f" | tail -5
	done
	[ -e $tmp/recv ] && echo "  received: $(stat -c %s $tmp/recv) bytes"
	echo "  sockets of $S:"
	sed 's/^/    /' /proc/$SPID/net/ttp
	echo "  sockets of $C:"
	sed 's/^/    /' /proc/$CPID/net/ttp
}

size_is() { [ "$(stat -c %s "$1" 2>/dev/null)" = "$2" ]; }
conn_tx_is() { conn "$1" "$2" && [ "${K[tx_queue]}" = "$3" ]; }
conn_timeouts_ge() { conn "$1" "$2" && [ "${K[retrnsmt]}" -ge "$3" ]; }
bound_of() { # RTO_US -> bound in us
	local b=$(($1 * 2))
	echo $((b > 1000000 ? b : 1000000))
}

# cut DEV NS on|off: everything NS sends on DEV is dropped, or not.
cut() {
	if [ "$3" = on ]; then
		ip netns exec "$2" tc qdisc replace dev "$1" root netem loss 100%
	else
		ip netns exec "$2" tc qdisc del dev "$1" root
	fi
}

# netem_on NS ARGS...: netem on what NS sends.
netem_on() {
	local ns=$1
	shift
	ip netns exec "$ns" tc qdisc replace dev "veth-${ns:5:1}" root netem "$@"
}

t_return_path() { # SACK (1 or 0)
	local port=$PORT rto0 srtt0 rto1 srtt1 bound t0 sent spid cpid r
	ip netns exec $C sysctl -qw net.ttp.sack="$1"
	rm -f $tmp/in $tmp/recv
	mkfifo $tmp/in
	head -c 65536 /dev/urandom >$tmp/warm
	head -c 8192 /dev/urandom >$tmp/stalled
	# Background processes write nowhere the test's output is collected.
	ip netns exec $S sh -c "sleep 100000 | exec '$ttpcat' -l $port" \
		>$tmp/recv 2>$tmp/server.err &
	spid=$!
	until_ok 30 "listener" listening $SPID $port
	ip netns exec $C "$ttpcat" $SADDR $port <$tmp/in >/dev/null 2>$tmp/client.err &
	cpid=$!
	exec {w}>$tmp/in
	# The round trip measured on a clean path first, 64 KiB at a time
	# until the window holds the 8 KiB to come: all of them must arrive
	# during the stall.  (A loaded machine may delay an ACK past the RTO
	# and leave the window at a segment or two; more data opens it.)
	: >$tmp/sent
	for ((r = 1; ; r++)); do
		cat $tmp/warm >&$w
		cat $tmp/warm >>$tmp/sent
		until_ok 60 "64 KiB acknowledged" conn_tx_is $CPID $port 0
		until_ok 60 "64 KiB received" size_is $tmp/recv $((r * 65536))
		show $CPID $port "client before"
		[ "${K[cwnd]}" -ge 8192 ] && break
		[ $r -lt 16 ] || fail "cwnd ${K[cwnd]} after $r x 64 KiB"
	done
	rto0=${K[rto]} srtt0=${K[srtt]}
	sent=$(stat_of $CPID TtpTimeouts)

	cut veth-s $S on
	t0=$SECONDS
	cat $tmp/stalled >&$w
	until_ok 60 "8 KiB received" size_is $tmp/recv $((r * 65536 + 8192))
	until_ok 300 "$STALL_TIMEOUTS expiries" conn_timeouts_ge $CPID $port $STALL_TIMEOUTS
	show $CPID $port "client stalled"
	cut veth-s $S off
	# One retransmission gets through; its ACK acknowledges everything.
	until_ok 300 "8 KiB acknowledged after the stall" conn_tx_is $CPID $port 0
	show $CPID $port "client after"
	echo "  stall: $((SECONDS - t0)) s, $(($(stat_of $CPID TtpTimeouts) - sent)) timeouts"
	rto1=${K[rto]} srtt1=${K[srtt]}
	bound=$(bound_of "$rto0")
	exec {w}>&-
	kill $cpid $spid 2>/dev/null || true
	cmp -s <(cat $tmp/sent $tmp/stalled) $tmp/recv || fail "the data differ"
	[ "$rto1" -le "$bound" ] ||
		fail "RTO ${rto1} us after one round trip, over the bound ${bound} us (it was $rto0 us, SRTT $srtt0 -> $srtt1 us)"
}

# The threads of PID in write(2) (syscall 1 on x86-64).
writers() {
	local t n=0 nr
	for t in /proc/"$1"/task/*; do
		read -r nr _ <"$t/syscall" 2>/dev/null || continue
		[ "$nr" = 1 ] && n=$((n + 1))
	done
	echo $n
}

# The client's handshake is done (it has the server's SYN+ACK).
client_established() { # PORT
	conn $CPID "$1" && [ "${K[st]}" = 01 ]
}

t_link_down() {
	local port=$PORT bytes=$((MIB << 20)) spid cpid rc=0 src=0
	local ns pid who bound segs0 seen_s='' seen_c='' msg=''
	ip netns exec $C sysctl -qw net.ttp.sack=1
	netem_on $S delay 20ms
	netem_on $C delay 20ms
	ip netns exec $S "$bulk" server -p $port -c 1 >$tmp/bs 2>&1 &
	spid=$!
	until_ok 30 "listener" listening $SPID $port
	rm -f $tmp/go
	mkfifo $tmp/go
	# -G: the client sends nothing before the go byte.
	ip netns exec $C "$bulk" client -G -a $SADDR -p $port -u $bytes \
		-d $bytes <$tmp/go >$tmp/bc 2>&1 &
	cpid=$!
	exec {g}>$tmp/go
	# Once the client has its SYN+ACK, the server's packets are dropped,
	# and only then does the client send: its data still arrives (its
	# header too, so the server starts sending, into the void), its ACKs
	# do not.  Neither side can then send more than its first window,
	# whatever the speed of the machine: no transfer ends before the
	# stall.  Once the client's timer has expired, it sent all it could;
	# then the client's packets are dropped too.
	until_ok 120 "the client's handshake" client_established $port
	declare -A r0
	r0[C]=${K[rto]}
	netem_on $S delay 20ms loss 100%
	echo go >&$g
	exec {g}>&-
	until_ok 60 "the server's connection" conn $SPID $port
	r0[S]=${K[rto]}
	until_ok 300 "the client's first expiry" conn_timeouts_ge $CPID $port 1
	netem_on $C delay 20ms loss 100%
	until_ok 600 "$STALL_TIMEOUTS expiries on both sides" eval \
		"conn_timeouts_ge $SPID $port $STALL_TIMEOUTS && conn_timeouts_ge $CPID $port $STALL_TIMEOUTS"
	show $SPID $port "server stalled"
	show $CPID $port "client stalled"
	echo "  threads in write(): server $(writers $spid), client $(writers $cpid)"
	[ "$(writers $spid)" -ge 1 ] && [ "$(writers $cpid)" -ge 1 ] ||
		fail "a writer is not blocked in write()"
	segs0=$(($(stat_of $SPID TtpInSegs) + 0)):$(($(stat_of $CPID TtpInSegs) + 0))
	netem_on $C delay 20ms
	netem_on $S delay 20ms
	# Each side at the first sight of progress: its expiries back to 0.
	local end=$((SECONDS + 600))
	while [ -z "$seen_s" ] || [ -z "$seen_c" ]; do
		for who in S C; do
			pid=${who}PID
			local seen=seen_${who,,}
			[ -n "${!seen}" ] && continue
			conn ${!pid} $port || continue
			[ "${K[retrnsmt]}" = 0 ] || continue
			local in0=${segs0%%:*}
			[ $who = C ] && in0=${segs0#*:}
			printf -v "$seen" '%s' "rto ${K[rto]} srtt ${K[srtt]} rttvar ${K[rttvar]}, $(($(stat_of ${!pid} TtpInSegs) - in0)) segments in"
			bound=$(bound_of "${r0[$who]}")
			[ "${K[rto]}" -le "$bound" ] ||
				msg="$msg $who: RTO ${K[rto]} us at the first progress, over ${bound} us (${r0[$who]} before);"
		done
		[ $SECONDS -lt $end ] || fail "no progress within 600 s of the link's return"
		nap 0.005
	done
	echo "  server at its first progress: $seen_s (RTO before: ${r0[S]} us)"
	echo "  client at its first progress: $seen_c (RTO before: ${r0[C]} us)"
	wait $cpid || rc=$?
	wait $spid || src=$?
	sed 's/^/  client: /' $tmp/bc | tail -3
	[ $rc = 0 ] && [ $src = 0 ] || {
		sed 's/^/  server: /' $tmp/bs | tail -3
		fail "transfer failed: client status $rc, server $src"
	}
	cut veth-s $S off
	cut veth-c $C off
	[ -z "$msg" ] || fail "$msg"
}

# Each test on a port of its own (tests run in subshells), and on a clean
# link whatever the one before left.
run() {
	PORT=$((PORT + 10))
	cut veth-s $S off 2>/dev/null
	cut veth-c $C off 2>/dev/null
	ttp_run "$@"
}

trap cleanup EXIT
ttp_plan 3
setup || { echo "Bail out! cannot build the network namespaces"; exit 1; }
run return_path_stall_rto_recovers t_return_path 1
run return_path_stall_rto_recovers_without_sack t_return_path 0
run link_down_both_ways_transfer_completes t_link_down
ttp_done
