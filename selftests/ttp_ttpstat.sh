#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# ttpstat against real sockets: a ttpcat server stopped (SIGSTOP) once it
# has accepted, before a client sends it 20,000 bytes, so that they wait in
# its receive queue.
# ttpstat must list the listener and the connection with their addresses,
# state and queue, the owning process (-p) and inode (-e), the internals of
# the connection (-i), and the namespace's counters (-s).
cd "$(dirname "$0")" || exit 1
. ./lib.sh
. ./userspace_lib.sh

cat=$US/ttpcat
stat=$US/ttpstat
srv= cli=

# accepted: the server's connection on port 9100 has been accepted (it has
# an inode: a process holds it).
accepted() {
	ip netns exec $S awk 'NR > 1 && $4 == "01" && substr($2, 9) == ":238C" && $10 != 0 { f = 1 }
		END { exit !f }' /proc/net/ttp
}

# The server accepts the connection and is stopped; only then does the
# client send, so that the bytes wait in the server's receive queue however
# slow the machine.  The FIFOs keep both standard inputs open.
start() {
	mkfifo "$TMP/srv-in" "$TMP/cli-in"
	ip netns exec $S "$cat" -l 9100 <"$TMP/srv-in" >/dev/null &
	srv=$!
	exec 3>"$TMP/srv-in"
	us_wait_listen $S 9100 || return 1
	ip netns exec $C "$cat" $SADDR 9100 <"$TMP/cli-in" >/dev/null &
	cli=$!
	exec 4>"$TMP/cli-in"
	ttp_wait_for $TTP_READY_S accepted || { echo "the server did not accept"; return 1; }
	kill -STOP $srv
	head -c 20000 /dev/zero >&4
}

t_listener_with_l() {
	local out
	out=$(ip netns exec $S "$stat" -l)
	echo "$out"
	echo "$out" | grep -qE '^LISTEN +0 +0 +\*:9100 +\*:\*' || fail "no listener line"
	[ "$(echo "$out" | wc -l)" -eq 2 ] || fail "header and one listener expected"
}

t_connection_with_receive_queue() {
	local out end=$((SECONDS + TTP_READY_S))
	# Until the 20,000 bytes have arrived.
	while :; do
		out=$("$stat" -N $S)
		echo "$out" | grep -qE "^ESTABLISHED +20000 +0 +$SADDR:9100 +$CADDR:[0-9]+ *$" && break
		[ $SECONDS -lt $end ] || break
		sleep 0.1
	done
	echo "$out"
	echo "$out" | grep -qE "^ESTABLISHED +20000 +0 +$SADDR:9100 +$CADDR:[0-9]+ *$" ||
		fail "no connection with 20000 bytes to read"
	echo "$out" | grep -q LISTEN && fail "the listener is shown without -a"
	out=$("$stat" -N $C -H)
	echo "$out" | grep -qE "^ESTABLISHED +0 +0 +$CADDR:[0-9]+ +$SADDR:9100 *$" ||
		fail "client side: $out"
}

t_process_and_inode() {
	local out ino
	out=$(ip netns exec $S "$stat" -e -p -H)
	echo "$out"
	echo "$out" | grep -q "users:((\"ttpcat\",pid=$srv,fd=[0-9]*))" ||
		fail "the process $srv is not shown"
	ino=$(echo "$out" | awk '/ESTABLISHED/ {print $7}')
	ls -l /proc/$srv/fd | grep -q "socket:\[$ino\]" || fail "inode $ino is not ttpcat's"
}

t_internals_with_i() {
	local out line
	out=$(ip netns exec $C "$stat" -i -H)
	echo "$out"
	line=$(echo "$out" | sed -n 2p)
	echo "$line" | grep -qE 'rto:[0-9.]+ rtt:[0-9.]+/[0-9.]+ mss:1[0-9]{3} cwnd:[0-9]+ ssthresh:[-0-9]+ snd_wnd:[0-9]+ rcv_wnd:[0-9]+ retrans:[0-9]+ ca:open' ||
		fail "no internals line"
	echo "$line" | grep -qE 'rto:(0|0\.[0-9]+) ' && fail "rto is zero"
	echo "$line" | grep -q 'cwnd:0 ' && fail "cwnd is zero"
	return 0
}

t_summary_with_s() {
	local out opens
	out=$(ip netns exec $S "$stat" -s)
	echo "$out"
	echo "$out" | grep -qE '^Sockets: 2 \(ESTABLISHED 1, LISTEN 1\)$' || fail "no socket counts"
	opens=$(echo "$out" | awk '$1 == "TtpPassiveOpens" {print $2}')
	[ "$opens" = "$(us_stat $S TtpPassiveOpens)" ] && [ "$opens" -ge 1 ] ||
		fail "TtpPassiveOpens $opens"
}

us_require ttpcat ttpstat
trap 'kill -CONT $srv 2>/dev/null; us_cleanup' EXIT
ttp_plan 5
us_setup || { echo "Bail out! cannot build the network namespaces"; exit 1; }
start || { echo "Bail out! the connection did not open"; exit 1; }
ttp_run ttpstat_l_lists_the_listener t_listener_with_l
ttp_run ttpstat_lists_connection_and_receive_queue t_connection_with_receive_queue
ttp_run ttpstat_ep_shows_process_and_inode t_process_and_inode
ttp_run ttpstat_i_shows_connection_internals t_internals_with_i
ttp_run ttpstat_s_shows_counts_and_counters t_summary_with_s
ttp_done
