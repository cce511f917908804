#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The ttp trace system (module/trace.h) through tracefs, between two
# network namespaces joined by veth, in a trace instance of its own:
#   - every event is there, with the fields Documentation/protocol.rst
#     gives;
#   - a connection that moves 64 KiB and closes: its states in order on
#     both ends, the SYN and the SYN+ACK that answers it (ack = seq + 1),
#     the data sent and received covering the 64 KiB exactly, round-trip
#     samples; each end's negotiation (what the peer offered, what
#     both agreed);
#   - under netem loss and corruption: a ttp_retransmit event for each
#     segment TtpRetransSegs counts, a ttp_drop event with the reason
#     TtpInCsumErrors for each corrupted segment the receiver counted, and
#     congestion window changes, a cut among them;
#   - trace-cmd (a Debian package, scripts/install-deps) extracts the
#     events of a connection and reports them decoded;
#   - perf (linux-perf) counts them (perf stat) and records and decodes
#     them (perf record, perf script);
#   - userspace/ttpladder --live draws a connection from them, phase by
#     phase, and ends with it.
cd "$(dirname "$0")" || exit 1
. ./lib.sh

cat=$(cd ../userspace && pwd)/ttpcat
ladder=$(cd ../userspace && pwd)/ttpladder
S=ttp-ts-$$
C=ttp-tc-$$
SADDR=10.81.0.1
CADDR=10.81.0.2
PORT=7400
tmp=$(mktemp -d)
T=
EVENTS="ttp_state ttp_send ttp_recv ttp_retransmit ttp_drop ttp_cwnd ttp_rtt ttp_negotiate"

cleanup() {
	[ -n "$T" ] && [ -d "$T" ] && rmdir "$T"
	ttp_ns_del $S $C
	rm -rf "$tmp"
}

# counter NS NAME
counter() {
	ip netns exec "$1" awk -v n="$2" '$1 == n {print $2}' /proc/net/ttp_stats
}

# trace_on EVENT...: an empty trace of these events only, recording.
trace_on() {
	local e
	echo 0 >"$T/tracing_on"
	for e in $EVENTS; do echo 0 >"$T/events/ttp/$e/enable"; done
	for e in "$@"; do echo 1 >"$T/events/ttp/$e/enable"; done
	: >"$T/trace"
	echo 1 >"$T/tracing_on"
}

# trace_off FILE: stop, keep the events in FILE; fail if any was lost.
trace_off() {
	echo 0 >"$T/tracing_on"
	cat "$T/trace" >"$1"
	! grep -q 'LOST' "$1" || fail "the trace buffer lost events"
	grep -q '^# entries-in-buffer/entries-written: \([0-9]*\)/\1 ' "$1" ||
		fail "the buffer did not keep every event: $(grep entries "$1")"
}

# send BYTES: BYTES random bytes from C to S over ttpcat, checked.
send() {
	PORT=$((PORT + 1))
	head -c "$1" /dev/urandom >$tmp/file
	ip netns exec $S "$cat" -l $PORT >$tmp/got 2>$tmp/server &
	local spid=$!
	ttp_wait_listen $S $PORT || fail "the receiver did not listen"
	ip netns exec $C "$cat" $SADDR $PORT <$tmp/file >/dev/null ||
		fail "the sender failed"
	wait $spid || fail "the receiver failed: $(cat $tmp/server)"
	cmp -s $tmp/file $tmp/got || fail "the receiver got other bytes"
}

# events NAME FILE: the lines of event NAME in FILE.
events() { grep -E " $1: " "$2" || true; }

t_events_and_fields() {
	local e f
	for e in $EVENTS; do
		[ -r "$T/events/ttp/$e/format" ] || fail "no event $e"
	done
	for f in saddr daddr sport dport state seq ack flags window len segs; do
		grep -q "field:.* $f\(\[4\]\)\?;" "$T/events/ttp/ttp_send/format" ||
			fail "ttp_send has no field $f"
	done
	grep -q "field:int old;" "$T/events/ttp/ttp_state/format" ||
		fail "ttp_state has no field old"
	for f in seq len tries why; do
		grep -q "field:.* $f;" "$T/events/ttp/ttp_retransmit/format" ||
			fail "ttp_retransmit has no field $f"
	done
	grep -q "field:__data_loc char\[\] reason;" "$T/events/ttp/ttp_drop/format" ||
		fail "ttp_drop has no reason"
	for f in old_cwnd cwnd ssthresh in_flight ca_state; do
		grep -q "field:.* $f;" "$T/events/ttp/ttp_cwnd/format" ||
			fail "ttp_cwnd has no field $f"
	done
	for f in peer_mss peer_wscale peer_csum peer_sack peer_ts mss snd_wscale rcv_wscale csum opts; do
		grep -q "field:.* $f;" "$T/events/ttp/ttp_negotiate/format" ||
			fail "ttp_negotiate has no field $f"
	done
	for f in sample_us srtt_us rttvar_us; do
		grep -q "field:.* $f;" "$T/events/ttp/ttp_rtt/format" ||
			fail "ttp_rtt has no field $f"
	done
}

# How an end closes: first (FIN_WAIT1, then FIN_WAIT2 or CLOSING, then
# TIME_WAIT; or TIME_WAIT at once, the peer's FIN with the ACK of ours),
# or second.
closing='ESTABLISHED>FIN_WAIT1 (FIN_WAIT1>FIN_WAIT2 FIN_WAIT2|FIN_WAIT1>CLOSING CLOSING|FIN_WAIT1)>TIME_WAIT'
closing+='|ESTABLISHED>CLOSE_WAIT CLOSE_WAIT>LAST_ACK LAST_ACK>CLOSED'

# both_closed FILE: both ends of the connection to $PORT are done.
both_closed() {
	[ "$(events ttp_state "$1" | grep -F ":$PORT " |
		grep -cE '(-> TIME_WAIT|LAST_ACK -> CLOSED)$')" = 2 ]
}

# states FILE END: the transitions of END (ip:port) in FILE, in order.
states() {
	events ttp_state "$1" | grep -F " $2 " |
		sed -n 's/.* \([A-Z_0-9]*\) -> \([A-Z_0-9]*\)$/\1>\2/p' | paste -sd' '
}

t_connection_traced() {
	local f=$tmp/trace1 cport cs ss syn synack first end e
	trace_on ttp_state ttp_send ttp_recv ttp_rtt ttp_negotiate
	send 65536
	# Each end's last state (TIME_WAIT for the one that closed first,
	# CLOSED for the other) may come after ttpcat exits.
	ttp_wait_for $TTP_READY_S both_closed "$T/trace" ||
		fail "the ends did not both close: $(events ttp_state "$T/trace")"
	trace_off $f
	cport=$(events ttp_send $f | grep -F "> $SADDR:$PORT " | grep 'flags SYN ' |
		sed -n "s/.* $CADDR:\([0-9]*\) > .*/\1/p" | head -n1)
	[ -n "$cport" ] || fail "no SYN from $CADDR to port $PORT: $(head -n 20 $f)"
	cs=$(states $f "$CADDR:$cport $SADDR:$PORT")
	ss=$(states $f "$SADDR:$PORT $CADDR:$cport")
	echo "  client: $cs"
	echo "  server: $ss"
	# Either end may close first (the server has nothing to send), or
	# both at once.
	[[ $cs =~ ^CLOSED\>SYN_SENT\ SYN_SENT\>ESTABLISHED\ ($closing)$ ]] ||
		fail "the client's states"
	[[ $ss =~ ^CLOSED\>SYN_RECV\ SYN_RECV\>ESTABLISHED\ ($closing)$ ]] ||
		fail "the server's states"
	[[ "$cs $ss" =~ FIN_WAIT1 ]] || fail "neither end closed first"
	# The SYN, and the SYN+ACK that acknowledges it, seen arriving.
	syn=$(events ttp_send $f | grep -F "$CADDR:$cport > $SADDR:$PORT " |
		grep 'flags SYN ' | sed -n 's/.* seq \([0-9]*\) .*/\1/p' | head -n1)
	synack=$(events ttp_recv $f | grep -F "$SADDR:$PORT > $CADDR:$cport " |
		grep 'flags SYN|ACK' | sed -n 's/.* ack \([0-9]*\) .*/\1/p' | head -n1)
	echo "  SYN seq $syn, SYN+ACK ack $synack"
	[ -n "$syn" ] && [ "$synack" = $(((syn + 1) & 0xffffffff)) ] ||
		fail "the SYN+ACK does not acknowledge the SYN"
	first=$(((syn + 1) & 0xffffffff))
	# The data, sent and received: from the SYN's seq + 1 to the 64 KiB's
	# end.
	for e in ttp_send ttp_recv; do
		end=$(events $e $f | grep -F "$CADDR:$cport > $SADDR:$PORT " |
			awk -v i=$first '{
				for (k = 1; k < NF; k++) {
					if ($k == "seq") s = $(k + 1)
					if ($k == "len") l = $(k + 1)
				}
				if (l > 0) {
					e = (s - i + 4294967296) % 4294967296 + l
					if (e > m) m = e
					n += l
				}
			} END { print m + 0, n + 0 }')
		echo "  $e: data up to offset ${end% *}, ${end#* } bytes in all"
		[ "${end% *}" = 65536 ] || fail "$e: the data ends at ${end% *}, not 65536"
	done
	# The negotiation, at each end: the server took the SYN's offer
	# (both checksums, SACK, timestamps, a window scale), the client the
	# SYN+ACK's (CRC32C chosen); both agreed on the same.
	local neg
	for e in "$SADDR:$PORT $CADDR:$cport" "$CADDR:$cport $SADDR:$PORT"; do
		neg=$(events ttp_negotiate $f | grep -F " $e ")
		echo "  negotiate: ${neg#*ttp_negotiate: }"
		[ "$(echo "$neg" | grep -c .)" = 1 ] || fail "not one ttp_negotiate for $e"
		[[ $neg =~ offered\ mss\ 1460\ wscale\ [0-9]+\ csum\ 0x[23]\ sack\ 1\ ts\ 1\ agreed\ mss\ 1460\ wscale\ on\ [0-9]+/[0-9]+\ csum\ crc32c\ sack\ 1\ ts\ 1$ ]] ||
			fail "ttp_negotiate for $e"
	done
	events ttp_negotiate $f | grep -F " $SADDR:$PORT $CADDR:$cport " | grep -q 'csum 0x3 ' ||
		fail "the server did not see both checksums offered"
	[ -n "$(events ttp_rtt $f | grep -F "$CADDR:$cport" |
		awk '{ for (k = 1; k < NF; k++) if ($k == "srtt" && $(k + 1) > 0) print }')" ] ||
		fail "no round-trip sample on the client"
}

t_loss_and_corruption_traced() {
	local f=$tmp/trace2 rtx0 rtx csum0 csum nrtx ndrop cuts
	ip netns exec $C sysctl -qw net.ttp.gso=0
	ip netns exec $C tc qdisc add dev veth-c root netem loss 5% corrupt 5% ||
		fail "netem failed"
	rtx0=$(counter $C TtpRetransSegs)
	csum0=$(counter $S TtpInCsumErrors)
	trace_on ttp_retransmit ttp_drop ttp_cwnd
	send 524288
	trace_off $f
	ip netns exec $C tc qdisc del dev veth-c root
	rtx=$(($(counter $C TtpRetransSegs) - rtx0))
	csum=$(($(counter $S TtpInCsumErrors) - csum0))
	nrtx=$(events ttp_retransmit $f | grep -cE " $CADDR:[0-9]+ $SADDR:$PORT " || true)
	ndrop=$(events ttp_drop $f | grep -F "> $SADDR reason TtpInCsumErrors" | grep -c . || true)
	cuts=$(events ttp_cwnd $f | grep -E " $CADDR:[0-9]+ $SADDR:$PORT " |
		awk '{ for (k = 1; k < NF; k++) if ($k == "cwnd" && $(k + 1) > $(k + 3)) n++ } END { print n + 0 }')
	echo "  retransmissions: $rtx counted, $nrtx traced"
	echo "  checksum drops: $csum counted, $ndrop traced"
	echo "  window cuts traced: $cuts"
	[ "$rtx" -gt 0 ] || fail "nothing was sent again"
	[ "$nrtx" = "$rtx" ] || fail "not one ttp_retransmit a retransmission"
	events ttp_retransmit $f | grep -qE ' why (recovery|loss)$' ||
		fail "no retransmission says why"
	[ "$csum" -gt 0 ] || fail "nothing was corrupted"
	[ "$ndrop" = "$csum" ] || fail "not one ttp_drop a corrupted segment"
	[ "$cuts" -gt 0 ] || fail "no congestion window cut traced"
}

# trace-cmd: events enabled (start), a connection, then the buffer
# written to a file (stop, extract) and decoded (report).  Not "record
# COMMAND": its readers, stopped when the command ends, may not have read
# the buffer yet.
t_trace_cmd_records_a_connection() {
	local d=$tmp/tc spid
	mkdir -p $d
	trace-cmd start -e ttp:ttp_state -e ttp:ttp_send >$d/log 2>&1 ||
		fail "trace-cmd start failed: $(cat $d/log)"
	send 4096
	trace-cmd stop >>$d/log 2>&1 || fail "trace-cmd stop failed: $(cat $d/log)"
	(cd $d && trace-cmd extract -o $d/trace.dat) >>$d/log 2>&1 ||
		fail "trace-cmd extract failed: $(cat $d/log)"
	trace-cmd reset >>$d/log 2>&1 || fail "trace-cmd reset failed: $(cat $d/log)"
	trace-cmd report -i $d/trace.dat >$d/report 2>&1 ||
		fail "trace-cmd report failed: $(head -n 5 $d/report)"
	grep -E "ttp_state: +$CADDR:[0-9]+ $SADDR:$PORT SYN_SENT -> ESTABLISHED" $d/report ||
		fail "no SYN_SENT -> ESTABLISHED in the report: $(head -n 20 $d/report)"
	grep -E "ttp_send: +$CADDR:[0-9]+ > $SADDR:$PORT SYN_SENT flags SYN " $d/report ||
		fail "no SYN in the report: $(head -n 20 $d/report)"
}

# perf (Debian's linux-perf): "perf stat" counts the events system-wide
# while a client moves 16 KiB, "perf record" keeps them and "perf script"
# decodes them.  The receiver listens first; perf runs the client, so it
# counts from before the SYN until the client has exited.
t_perf_counts_and_records_events() {
	local d=$tmp/perf spid n_state n_send
	mkdir -p $d
	head -c 16384 /dev/urandom >$d/file
	PORT=$((PORT + 1))
	ip netns exec $S "$cat" -l $PORT >$d/got 2>$d/server &
	spid=$!
	ttp_wait_listen $S $PORT || fail "the receiver did not listen"
	perf stat -x, -a -e ttp:ttp_state -e ttp:ttp_send -o $d/stat -- \
		ip netns exec $C "$cat" $SADDR $PORT <$d/file >/dev/null 2>$d/client ||
		fail "perf stat or the client failed: $(cat $d/stat $d/client)"
	wait $spid || fail "the receiver failed: $(cat $d/server)"
	cmp -s $d/file $d/got || fail "the receiver got other bytes"
	n_state=$(awk -F, '$3 == "ttp:ttp_state" {print $1}' $d/stat)
	n_send=$(awk -F, '$3 == "ttp:ttp_send" {print $1}' $d/stat)
	echo "  perf stat: $n_state ttp_state, $n_send ttp_send"
	# Both ends' handshakes (4 transitions) and the client's close (at
	# least 2); the SYN, the SYN+ACK, the data (one large segment or
	# more) and a FIN at least.
	[ "${n_state:-0}" -ge 6 ] 2>/dev/null || fail "ttp_state counted: $(cat $d/stat)"
	[ "${n_send:-0}" -ge 4 ] 2>/dev/null || fail "ttp_send counted: $(cat $d/stat)"

	PORT=$((PORT + 1))
	ip netns exec $S "$cat" -l $PORT >$d/got 2>$d/server &
	spid=$!
	ttp_wait_listen $S $PORT || fail "the receiver did not listen"
	perf record -q -a -e ttp:ttp_state -o $d/perf.data -- \
		ip netns exec $C "$cat" $SADDR $PORT <$d/file >/dev/null 2>$d/client ||
		fail "perf record or the client failed: $(cat $d/client)"
	wait $spid || fail "the receiver failed: $(cat $d/server)"
	perf script -i $d/perf.data >$d/script 2>&1 || fail "perf script failed: $(head -n 5 $d/script)"
	grep -E "ttp:ttp_state: +$CADDR:[0-9]+ $SADDR:$PORT SYN_SENT -> ESTABLISHED" $d/script ||
		fail "no SYN_SENT -> ESTABLISHED: $(head -n 20 $d/script)"
	grep -E "ttp:ttp_state: +$SADDR:$PORT $CADDR:[0-9]+ SYN_RECV -> ESTABLISHED" $d/script ||
		fail "no SYN_RECV -> ESTABLISHED: $(head -n 20 $d/script)"
}

# userspace/ttpladder --live: it follows the next connection to a port
# from the tracepoints, draws each segment with its phase, and ends by
# itself once both ends are over; its SVG is well-formed.
t_ttpladder_follows_a_connection_live() {
	local d=$tmp/ladder lpid port=$((PORT + 1)) first=() p n
	mkdir -p $d
	"$ladder" --live --port $port --ready $d/ready --svg $d/ladder.svg \
		>$d/out 2>$d/err &
	lpid=$!
	ttp_wait_for $TTP_READY_S test -e $d/ready || fail "ttpladder did not start: $(cat $d/err)"
	send 20000	# to port $port
	ttp_wait_for $TTP_READY_S eval "! kill -0 $lpid 2>/dev/null" ||
		fail "ttpladder did not end with the connection: $(cat $d/out)"
	wait $lpid || fail "ttpladder failed: $(cat $d/err)"
	cat $d/out
	grep -qE "^1 establishment +[0-9.]+ +\|-- SYN seq=0 " $d/out || fail "no SYN first"
	grep -qE "^2 handshake +[0-9.]+ +\|<-+ SYN\+ACK seq=0 ack=1 " $d/out || fail "no SYN+ACK"
	n=$(grep -cE "^3 negotiation .* agreed MSS 1460, window scale [0-9]+/[0-9]+, checksum crc32c, SACK, timestamps$" $d/out)
	[ "$n" = 2 ] || fail "$n negotiations, not one at each end"
	grep -qE "^4 data exchange .* data seq=1:" $d/out || fail "no data from seq 1"
	[ "$(grep -cE -- "^7 close .*- FIN seq=" $d/out)" = 2 ] || fail "not two FINs"
	# The phases in the course's order: establishment first, handshake
	# and negotiation (the server negotiates on the SYN, before its
	# SYN+ACK) before data exchange and close (the server, which has
	# nothing to send, may close before the client's data), close last.
	for p in 1 2 3 4 7; do
		first[p]=$(grep -nE "^$p " $d/out | head -n 1 | cut -d: -f1)
		[ -n "${first[p]}" ] || fail "no phase $p"
	done
	[ "${first[1]}" = 2 ] || fail "the first row is not the establishment"
	for p in 2 3; do
		[ "${first[p]}" -lt "${first[4]}" ] && [ "${first[p]}" -lt "${first[7]}" ] ||
			fail "phase $p after data or close"
	done
	tail -n 1 $d/out | grep -q '^7 close' || fail "the last row is not the close"
	python3 -c 'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' \
		$d/ladder.svg || fail "the SVG is not well-formed"
	[ "$(grep -c '<line ' $d/ladder.svg)" -ge 10 ] || fail "the SVG has too few arrows"
	grep -q ">$CADDR:[0-9]*</text>" $d/ladder.svg && grep -q ">$SADDR:$port</text>" $d/ladder.svg ||
		fail "the SVG does not name both hosts"
}

trap cleanup EXIT
command -v perf >/dev/null ||
	{ echo "Bail out! perf is needed (scripts/install-deps)"; exit 1; }
command -v trace-cmd >/dev/null ||
	{ echo "Bail out! trace-cmd is needed (scripts/install-deps)"; exit 1; }
[ -x "$cat" ] || { echo "Bail out! $cat is not built (make userspace)"; exit 1; }
tr=/sys/kernel/tracing
[ -d $tr/instances ] || mount -t tracefs nodev $tr 2>/dev/null
if [ ! -d $tr/instances ]; then
	echo "Bail out! no tracefs at $tr"
	exit 1
fi
T=$tr/instances/ttp-selftest-$$
mkdir "$T" || { echo "Bail out! cannot make a trace instance"; exit 1; }
echo 8192 >"$T/buffer_size_kb"
ttp_pair $S $C $SADDR $CADDR || { echo "Bail out! cannot build the namespaces"; exit 1; }
ttp_plan 6
ttp_run events_and_fields t_events_and_fields
ttp_run connection_traced t_connection_traced
ttp_run loss_and_corruption_traced t_loss_and_corruption_traced
ttp_run trace_cmd_records_a_connection t_trace_cmd_records_a_connection
ttp_run perf_counts_and_records_events t_perf_counts_and_records_events
ttp_run ttpladder_follows_a_connection_live t_ttpladder_follows_a_connection_live
ttp_done
