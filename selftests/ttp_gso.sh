#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Large segments on the wire (Documentation/protocol.rst, "Large
# segments"): a file goes from one network namespace to another over veth
# with ttpcat, tcpdump captures what arrives at the receiving end, and
# ttp_capture.py checks every frame of it against the file: its size, its
# checksum, its data at its sequence number, and that together they carry
# the whole file.  The receiver's copy is compared with the file too.
#
# The sender's veth is made a device that cannot carry TTP's large
# segments (ethtool: no SCTP segmentation, which is the type they have,
# and no checksum offload), as a network card is: the stack cuts them with
# ttp_gso_segment(), and no frame may exceed the MTU.  Then the same
# through netem loss, reordering and corruption (which flips bits in the
# headers: the data of the segments cut lies in page fragments, which
# netem leaves alone, as it does TCP's).  Each for both checksum
# algorithms; and, for comparison, plain veth (large segments arrive
# whole) and net.ttp.gso off (none are made).
#
# TTP_GSO_MIB sets the MiB of the main transfers: 8 (over 5,000 frames,
# each checked), 2 on the 6.1 and debug lanes.
cd "$(dirname "$0")" || exit 1
. ./lib.sh

cat=$(cd ../userspace && pwd)/ttpcat
S=ttp-gs-$$
C=ttp-gc-$$
SADDR=10.79.0.1
CADDR=10.79.0.2
PORT=7000
tmp=$(mktemp -d)
MIB=8
[ "${TTP_LANE:-}" = 6.1 ] && MIB=2
[ "${TTP_LANE:-}" = debug ] && MIB=2
MIB=${TTP_GSO_MIB:-$MIB}

cleanup() {
	ttp_ns_del $S $C
	rm -rf "$tmp"
}

# counter NS NAME
counter() {
	ip netns exec "$1" awk -v n="$2" '$1 == n {print $2}' /proc/net/ttp_stats
}

# link [gso] [ETHTOOL_FEATURES...]: a fresh pair of namespaces, the
# sender's veth with the features given turned off.
link() {
	ttp_ns_del $S $C || true	# the last test's, if any
	ttp_pair $S $C $SADDR $CADDR || fail "cannot build the namespaces"
	if [ $# -gt 0 ]; then
		local f args=()
		for f in "$@"; do
			args+=("$f" off)
		done
		ip netns exec $C ethtool -K veth-c "${args[@]}" ||
			fail "ethtool -K veth-c ${args[*]} failed"
	fi
}

# algo inet|crc32c: what both ends offer.
algo() {
	local v=0
	[ "$1" = crc32c ] && v=1
	ip netns exec $S sysctl -qw net.ttp.crc32c=$v
	ip netns exec $C sysctl -qw net.ttp.crc32c=$v
}

# send MIB [CAPTURE_OPTS...]: MIB MiB of random bytes from C to S under a
# capture on veth-s, checked by ttp_capture.py with the options given.
send() {
	local mib=$1 rc=0 before large after snap=1600
	shift
	[ "${1:-}" = --large ] && snap=65600
	PORT=$((PORT + 1))
	head -c $((mib << 20)) /dev/urandom >$tmp/file
	# The last test's: what the waits below read must be this test's.
	rm -f $tmp/cap $tmp/tcpdump.err $tmp/report
	# Room for the whole capture in the kernel's buffer, where each frame
	# takes a slot of the snap length: nothing dropped.  A frame larger
	# than the MTU is captured cut (and ttp_capture.py says so).
	ip netns exec $S tcpdump -i veth-s -s $snap -B $(((mib + 16) << 11)) -U \
		--immediate-mode -w $tmp/cap \
		"(src host $CADDR and ip proto $(cat /sys/module/ttp/parameters/protocol)) or udp port 9" \
		2>$tmp/tcpdump.err &
	local dpid=$!
	ttp_wait_grep $tmp/tcpdump.err "listening on" ||
		fail "tcpdump did not start: $(cat $tmp/tcpdump.err)"
	ip netns exec $S "$cat" -l $PORT >$tmp/got 2>$tmp/server &
	local spid=$!
	ttp_wait_listen $S $PORT || fail "the receiver did not listen"
	before=$(counter $C TtpOutLargeSegs)
	ip netns exec $C timeout 600 "$cat" $SADDR $PORT \
		<$tmp/file >/dev/null || rc=$?
	wait $spid || fail "the receiver failed: $(cat $tmp/server)"
	[ $rc -eq 0 ] || fail "the sender failed with status $rc"
	after=$(counter $C TtpOutLargeSegs)
	# A datagram from the receiver after the transfer: once tcpdump has
	# written it, it has written every frame that came before (from the
	# receiver's side: netem on the sender's would let it overtake).
	ip netns exec $S bash -c "echo end >/dev/udp/$CADDR/9"
	ttp_wait_for $TTP_READY_S marked ||
		fail "tcpdump did not write the end mark"
	kill -INT $dpid
	wait $dpid
	sed 's/^/  tcpdump: /' $tmp/tcpdump.err | grep -v "listening on"
	grep -q "^0 packets dropped by kernel" $tmp/tcpdump.err ||
		fail "tcpdump lost frames: the capture is incomplete"
	cmp -s $tmp/file $tmp/got || fail "the receiver got other bytes"
	large=$((after - before))
	echo "  $large large segments sent"
	echo "$large" >$tmp/large
	./ttp_capture.py $tmp/cap $tmp/file $CADDR "$@" >$tmp/report ||
		{ cat $tmp/report; fail "the capture does not show what it should"; }
	cat $tmp/report
}

# The receiver dropped exactly the frames of the capture it had to: none
# that was corrupted reached the connection.
drops_match() {
	local must got=0 n
	must=$(sed -n 's/^must_drop=//p' $tmp/report)
	for n in TtpInHdrErrors TtpInVersionErrors TtpInCsumErrors; do
		got=$((got + $(counter $S $n)))
	done
	echo "  the receiver dropped $got segments as malformed or corrupted," \
		"the capture shows $must it had to"
	[ "$got" = "$must" ] || fail "dropped $got, not $must"
}

large_sent() { cat $tmp/large; }

marked() { tcpdump -r $tmp/cap -n udp 2>/dev/null | grep -q .; }

t_whole_over_veth() {
	link
	algo crc32c
	send 4 --large
	[ "$(large_sent)" -gt 0 ] || fail "no large segment was sent"
}

t_gso_off() {
	link tx-checksumming
	ip netns exec $C sysctl -qw net.ttp.gso=0
	algo crc32c
	send 4
	[ "$(large_sent)" = 0 ] || fail "large segments sent with net.ttp.gso 0"
}

t_software_segmentation() { # ALGO
	link tx-sctp-segmentation tx-checksumming
	algo "$1"
	send $MIB
	[ "$(large_sent)" -gt 0 ] || fail "no large segment was sent"
	[ "$(counter $S TtpInCsumErrors)" = 0 ] ||
		fail "the receiver counted checksum errors"
	drops_match
}

t_software_segmentation_netem() { # ALGO
	local errs
	link tx-sctp-segmentation tx-checksumming
	ip netns exec $C tc qdisc add dev veth-c root netem delay 1ms \
		reorder 25% loss 1% corrupt 10% || fail "netem failed"
	algo "$1"
	send $MIB --corrupt
	[ "$(large_sent)" -gt 0 ] || fail "no large segment was sent"
	errs=$(counter $S TtpInCsumErrors)
	echo "  the sender sent $(counter $C TtpRetransSegs) segments again"
	[ "$errs" -gt 0 ] || fail "the receiver counted no checksum error"
	drops_match
}

trap cleanup EXIT
command -v ethtool >/dev/null && command -v tcpdump >/dev/null ||
	{ echo "Bail out! ethtool and tcpdump are needed (scripts/install-deps)"; exit 1; }
[ -x "$cat" ] || { echo "Bail out! $cat is not built (make userspace)"; exit 1; }
ttp_plan 6
echo "# ${MIB} MiB a transfer through software segmentation"
ttp_run large_segments_cross_veth_whole t_whole_over_veth
ttp_run no_large_segments_with_gso_off t_gso_off
ttp_run software_segmentation_inet t_software_segmentation inet
ttp_run software_segmentation_crc32c t_software_segmentation crc32c
ttp_run software_segmentation_netem_inet t_software_segmentation_netem inet
ttp_run software_segmentation_netem_crc32c t_software_segmentation_netem crc32c
ttp_done
