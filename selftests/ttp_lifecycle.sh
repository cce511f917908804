#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The module's life under load, and memory over it:
#   - rmmod while more than 1,000 TTP sockets exist, in every state, is
#     refused and disturbs none of them; once they are closed the module
#     unloads, and TTP's sockets and the slab are back where they started;
#   - network namespaces deleted while they hold connections in every state
#     free them all, and the namespaces themselves;
#   - connect/transfer/close cycles (TTP_CYCLES of them, see below) leave
#     the slab where it started.
# The memory measures: /sys/module/ttp/refcnt (every TTP socket holds a
# reference on the module), the active objects of every slab cache
# (/proc/slabinfo, empty slabs released first through
# /sys/kernel/slab/*/shrink) and the net_namespace cache.  On the debug
# lane kmemleak also looks for leaks after the suite.
cd "$(dirname "$0")" || exit 1
. ./lib.sh

churn=$PWD/ttp_churn
S=ttp-lsrv-$$
C=ttp-lcli-$$
SADDR=10.78.0.1
CADDR=10.78.0.2
# Measured under emulation: about 1,500 cycles a second on Debian's
# kernels (100,000 in 63 s), 85 on the debug kernel (100,000 would take
# 20 minutes).  30,000: a leak of 70 bytes a cycle would show (a socket
# or a segment lost to a cycle is far more); a quarter on the 6.1 lane,
# a two-hundredth on the debug lane (ttp_volume), where kmemleak sees any
# leak, unless TTP_CYCLES says.
cycles=${TTP_CYCLES:-$(ttp_volume 30000)}

need_ko() {
	[ -n "${TTP_KO:-}" ] && [ -e "$TTP_KO" ] || skip "TTP_KO is not set"
	grep -qw '^ttp' /proc/modules || insmod "$TTP_KO" || fail "insmod failed"
}

netns_up() {
	netns_down	# what a failed test may have left
	ttp_pair $S $C $SADDR $CADDR
}

netns_down() {
	ttp_ns_del $S $C
}

sysctl_both() { # NAME=VALUE...
	local ns kv
	for ns in $S $C; do
		for kv in "$@"; do
			ip netns exec $ns sysctl -qw "net.ttp.$kv" || return 1
		done
	done
}

# TTP sockets alive, in every namespace: each holds a module reference.
ttp_refs() {
	cat /sys/module/ttp/refcnt
}

# TTP sockets of a namespace (/proc/net/protocols).
ttp_sockets_in() {
	ip netns exec "$1" awk '$1 == "TTP" {print $3}' /proc/net/protocols
}

# Release empty slabs, so that what /proc/slabinfo says is what is in use.
shrink_slabs() {
	local f
	for f in /sys/kernel/slab/*/shrink; do
		echo 1 >"$f" 2>/dev/null
	done
}

# Bytes of slab objects in use, over all caches.
slab_used() {
	shrink_slabs
	awk 'NR > 2 {sum += $2 * $4} END {print sum}' /proc/slabinfo
}

slab_objs() { # CACHE
	shrink_slabs
	awk -v c="$1" '$1 == c {print $2}' /proc/slabinfo
}

# wait_for SECONDS COMMAND...: until COMMAND succeeds; 1 if it never did.
wait_for() {
	local end=$((SECONDS + $1))
	shift
	until "$@"; do
		[ $SECONDS -lt $end ] || return 1
		sleep 0.2
	done
}

no_sockets_left() {
	[ "$(ttp_sockets_in $S)" = 0 ] && [ "$(ttp_sockets_in $C)" = 0 ]
}

refs_back_to() {
	[ "$(ttp_refs)" -le "$1" ]
}

unload() {
	rmmod ttp 2>/dev/null
}

# The states, as /proc/net/ttp prints them (hexadecimal, as TCP's).
state_names=([1]=ESTABLISHED SYN_SENT SYN_RECV FIN_WAIT1 FIN_WAIT2 TIME_WAIT
	     CLOSED CLOSE_WAIT LAST_ACK LISTEN CLOSING)

# Count the sockets of both namespaces by state; print the table; fail if
# a state has none.
every_state_present() {
	local counts st missing=
	counts=$(for ns in $S $C; do
		ip netns exec $ns awk 'NR > 1 {print $4}' /proc/net/ttp
	done | sort | uniq -c)
	for st in "${!state_names[@]}"; do
		n=$(echo "$counts" | awk -v s="$(printf '%02X' "$st")" '$2 == s {print $1}')
		echo "  ${state_names[$st]}: ${n:-0}"
		[ -n "$n" ] || missing="$missing ${state_names[$st]}"
	done
	[ -z "$missing" ] || { echo "no socket in:$missing"; return 1; }
}

t_rmmod_refused_with_1000_sockets_in_every_state() {
	local refs0 slab0 slab1 ready held total after refs
	need_ko
	refs0=$(ttp_refs)
	slab0=$(slab_used)
	netns_up || fail "cannot build the network namespaces"
	# TIME_WAIT and SYN_SENT / SYN_RECV must outlast the checks, however
	# slow the machine: an hour of TIME_WAIT (ttp_churn ends it when it
	# closes those sockets), SYN retries for 8 minutes (the process
	# closes the SYN_SENT sockets and the listener, which ends SYN_RECV).
	sysctl_both time_wait_ms=3600000 syn_retries=9 fin_timeout_ms=1000 ||
		fail "sysctl"

	coproc CHURN { "$churn" states -s $S -c $C -a $SADDR -n 60 \
		-l "ip netns exec $S tc qdisc add dev veth-s root netem loss 100%" 2>&1; }
	read -r -t 300 ready held <&"${CHURN[0]}" || fail "ttp_churn did not get ready"
	[ "$ready" = ready ] || fail "ttp_churn: $ready $held"
	total=$(($(ttp_sockets_in $S) + $(ttp_sockets_in $C)))
	echo "$held sockets held by the process, $total in all (with SYN_RECV ones)"
	[ "$total" -ge 1000 ] || fail "only $total TTP sockets"
	every_state_present || fail "a state is missing"

	refs=$(ttp_refs)
	if rmmod ttp 2>/tmp/rmmod.$$; then
		fail "rmmod succeeded with $total sockets open"
	fi
	echo "rmmod: $(cat /tmp/rmmod.$$)"
	rm -f /tmp/rmmod.$$
	grep -qw '^ttp' /proc/modules || fail "ttp is gone"
	after=$(($(ttp_sockets_in $S) + $(ttp_sockets_in $C)))
	[ "$after" -ge "$total" ] || fail "sockets went away: $total, then $after"
	[ "$(ttp_refs)" -ge "$refs" ] || fail "module references fell"

	# Close everything, with the link working again; the TIME_WAITs the
	# closes make last a second (a timer reads the sysctl when it starts).
	sysctl_both time_wait_ms=1000 || fail "sysctl"
	ip netns exec $S tc qdisc del dev veth-s root || fail "tc qdisc del"
	echo close >&"${CHURN[1]}"
	wait "$CHURN_PID" || fail "ttp_churn failed"
	wait_for 120 no_sockets_left || fail "sockets left: $S $(ttp_sockets_in $S), $C $(ttp_sockets_in $C)"
	netns_down
	wait_for 60 refs_back_to "$refs0" ||
		fail "module references: $(ttp_refs), $refs0 before"
	wait_for 60 unload || fail "rmmod failed: $(grep -w '^ttp' /proc/modules)"
	insmod "$TTP_KO" || fail "reload failed"
	slab1=$(slab_used)
	echo "slab in use: $slab0 bytes before, $slab1 after"
	# The same bound as the cycles' below: 2 MiB, over 1,142 sockets.
	[ $((slab1 - slab0)) -le $((2 * 1024 * 1024)) ] ||
		fail "slab grew by $((slab1 - slab0)) bytes"
}

t_netns_deleted_with_live_connections_frees_them() {
	local refs0 nets0 ready held t0
	need_ko
	refs0=$(ttp_refs)
	nets0=$(slab_objs net_namespace)
	[ -n "$nets0" ] || fail "no net_namespace cache in /proc/slabinfo"
	netns_up || fail "cannot build the network namespaces"
	# As in the test above: the checks come before any timer ends.
	sysctl_both time_wait_ms=3600000 syn_retries=9 || fail "sysctl"
	coproc CHURN { "$churn" states -s $S -c $C -a $SADDR -n 30 \
		-l "ip netns exec $S tc qdisc add dev veth-s root netem loss 100%" 2>&1; }
	read -r -t 300 ready held <&"${CHURN[0]}" || fail "ttp_churn did not get ready"
	[ "$ready" = ready ] || fail "ttp_churn: $ready $held"
	every_state_present || fail "a state is missing"
	echo "$(ttp_refs) module references with the connections up"
	# Once the namespaces go, orphans cannot reach their peers: let them
	# give up soon (timers read these when they are next armed).
	sysctl_both time_wait_ms=1000 fin_timeout_ms=1000 retries=3 \
		syn_retries=3 rto_max_ms=1000 || fail "sysctl"

	# The names go first; the process still holds sockets in both.
	ip netns del $S
	ip netns del $C
	exec {CHURN[1]}>&-	# end of input: it exits, its sockets are orphaned
	wait "$CHURN_PID"
	wait_for 120 refs_back_to "$refs0" ||
		fail "module references: $(ttp_refs), $refs0 before"
	# The kernel frees a namespace in a work item (cleanup_net()) that
	# waits for RCU grace periods, which take longer the busier the
	# machine: wait for it, the bound only a backstop against a
	# namespace held for good (by a device a packet holds, say, which
	# the kernel log would name: "waiting for veth-s to become free").
	t0=$SECONDS
	wait_for 900 eval '[ "$(slab_objs net_namespace)" -le "$nets0" ]' || {
		dmesg | grep -E 'unregister_netdevice|become free' | tail -5
		fail "network namespaces: $(slab_objs net_namespace), $nets0 before"
	}
	echo "network namespaces (net_namespace objects): $nets0 before, $(slab_objs net_namespace) after $((SECONDS - t0)) s"
	wait_for 60 unload || fail "rmmod failed: $(grep -w '^ttp' /proc/modules)"
	insmod "$TTP_KO" || fail "reload failed"
}

t_connect_transfer_close_cycles_leave_slab_usage_where_it_started() {
	local ns=ttp-lcyc-$$ refs0 before after out grown limit=$((2 * 1024 * 1024))
	need_ko
	ip netns add $ns || fail "ip netns add"
	ip -n $ns link set lo up
	ip netns exec $ns sysctl -qw net.ttp.time_wait_ms=20
	# A first round grows the caches to their working size.
	ip netns exec $ns "$churn" cycles -n 1000 >/dev/null || fail "warm-up cycles failed"
	wait_for 60 eval '[ "$(ttp_sockets_in '$ns')" = 0 ]' || fail "warm-up sockets left"
	refs0=$(ttp_refs)
	before=$(slab_used)
	out=$(ip netns exec $ns "$churn" cycles -n "$cycles") || fail "cycles: $out"
	echo "$out"
	wait_for 60 eval '[ "$(ttp_sockets_in '$ns')" = 0 ]' ||
		fail "$(ttp_sockets_in $ns) sockets left after the cycles"
	after=$(slab_used)
	ip netns del $ns
	grown=$((after - before))
	echo "slab in use: $before bytes before, $after after ($grown), module references $refs0, $(ttp_refs)"
	[ "$(ttp_refs)" -le "$refs0" ] || fail "module references grew"
	# A leak of more than limit / cycles bytes a cycle shows here.
	[ "$grown" -le "$limit" ] ||
		fail "slab grew by $grown bytes over $cycles cycles"
}

trap netns_down EXIT
ttp_plan 3
ttp_run rmmod_refused_with_1000_sockets_in_every_state_then_unloads_clean \
	t_rmmod_refused_with_1000_sockets_in_every_state
ttp_run netns_deleted_with_live_connections_frees_them \
	t_netns_deleted_with_live_connections_frees_them
ttp_run connect_transfer_close_cycles_leave_slab_usage_where_it_started \
	t_connect_transfer_close_cycles_leave_slab_usage_where_it_started
ttp_done
