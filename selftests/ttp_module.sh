#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Loading and unloading ttp.ko: parameters, numbers already taken, module
# autoload on socket(AF_TTP, ...).  Needs root and $TTP_KO (scripts/vm-run
# sets it); leaves the module loaded with its defaults.
cd "$(dirname "$0")" || exit 1
. ./lib.sh

ko=${TTP_KO:-}

# sock FAMILY: create and close a stream socket of FAMILY; print the errno
# name on failure.
sock() {
	python3 - "$1" <<'PY'
import errno, socket, sys
try:
    socket.socket(int(sys.argv[1]), socket.SOCK_STREAM, 0).close()
except OSError as e:
    print(errno.errorcode[e.errno])
    sys.exit(1)
PY
}

# Connections of earlier tests may still be in TIME_WAIT: until they end.
unloaded() {
	! grep -qw '^ttp' /proc/modules || rmmod ttp 2>/dev/null
}
unload() {
	ttp_wait_for $TTP_READY_S unloaded && return 0
	fail "rmmod ttp failed: $(grep -w '^ttp' /proc/modules)"
}

loaded() { grep -qw '^ttp' /proc/modules; }

# insmod_must_fail ARGS MESSAGE: insmod with ARGS fails and dmesg says MESSAGE
insmod_must_fail() {
	local args=$1 msg=$2 out
	dmesg -C
	if out=$(insmod "$ko" $args 2>&1); then
		rmmod ttp
		fail "insmod ttp.ko $args succeeded"
	fi
	echo "insmod said: $out"
	dmesg | grep -q -- "$msg" || fail "dmesg lacks '$msg': $(dmesg | tail -n 3)"
	! loaded || fail "module loaded after a failed insmod"
}

need_ko() {
	[ -n "$ko" ] && [ -r "$ko" ] || skip "TTP_KO is not set: no module file"
	[ "$(id -u)" = 0 ] || skip "needs root"
}

t_loads_with_defaults() {
	need_ko
	unload
	dmesg -C
	insmod "$ko" || fail "insmod failed"
	dmesg | grep -q "ttp: loaded, address family 13, IP protocol 253" ||
		fail "no load line in dmesg"
	[ "$(cat /sys/module/ttp/parameters/family)" = 13 ] || fail "family parameter"
	[ "$(cat /sys/module/ttp/parameters/protocol)" = 253 ] || fail "protocol parameter"
	sock 13 || fail "socket(13) failed"
}

t_taken_family_fails_with_eexist() {
	need_ko
	unload
	insmod_must_fail "family=2" "ttp: address family 2 is not available (-17)"
}

t_taken_protocol_fails_with_eexist() {
	need_ko
	unload
	insmod_must_fail "protocol=6" "ttp: IP protocol 6 is already taken"
	insmod "$ko" protocol=6 2>&1 | grep -q "File exists" ||
		fail "insmod did not report EEXIST"
}

t_out_of_range_numbers_fail_with_einval() {
	need_ko
	unload
	insmod_must_fail "family=46" "ttp: family=46 is outside"
	insmod_must_fail "family=0" "ttp: family=0 is outside"
	insmod_must_fail "protocol=255" "ttp: protocol=255 is outside"
	insmod "$ko" family=-1 2>&1 | grep -q "Invalid parameters" ||
		fail "insmod did not report EINVAL"
}

t_other_family_number_works() {
	need_ko
	unload
	insmod "$ko" family=22 || fail "insmod family=22 failed"
	sock 22 || fail "socket(22) failed"
	# 13 is free again: nothing implements it and nothing loads for it.
	[ "$(sock 13)" = EAFNOSUPPORT ] || fail "socket(13) did not fail with EAFNOSUPPORT"
	rmmod ttp || fail "rmmod failed"
	[ "$(sock 22)" = EAFNOSUPPORT ] || fail "socket(22) works after rmmod"
}

# socket(13, ...) loads ttp.ko through its net-pf-13 alias when the module
# is installed: install it into an overlay of /lib/modules (read-only here).
t_socket_autoloads_module() {
	need_ko
	unload
	local kver lower up
	kver=$(uname -r)
	lower=/lib/modules/$kver
	up=$(mktemp -d)
	mkdir -p "$up/upper" "$up/work"
	modprobe overlay || skip "no overlay filesystem"
	mount -t overlay overlay -o "lowerdir=$lower,upperdir=$up/upper,workdir=$up/work" "$lower" ||
		skip "cannot overlay $lower"
	mkdir -p "$lower/updates"
	cp "$ko" "$lower/updates/ttp.ko"
	# Its index only (the modules it needs are loaded): reading every
	# module of the tree over 9p took minutes on a loaded machine.
	depmod "$kver" "$lower/updates/ttp.ko"
	local why=
	if ! grep -q 'net_pf_13 ttp\|net-pf-13 ttp' "$lower/modules.alias"; then
		why="depmod did not record the net-pf-13 alias"
	elif ! sock 13; then
		why="socket(13) failed with the module installed"
	elif ! loaded; then
		why="socket(13) worked but ttp is not loaded"
	fi
	umount "$lower"
	[ -z "$why" ] || fail "$why"
}

# A congestion controller in a module of its own (module/cc_scalable.c,
# built beside ttp.ko): it registers itself, a socket and a namespace
# that use it hold it (rmmod fails), and once it is gone its name is
# ENOENT again.
t_congestion_control_module_registers_and_is_held() {
	need_ko
	loaded || insmod "$ko" || fail "insmod ttp.ko failed"
	local cko out
	cko=$(dirname "$ko")/ttp_cc_scalable.ko
	[ -r "$cko" ] || skip "no $cko"
	insmod "$cko" || fail "insmod ttp_cc_scalable.ko failed"
	grep -qw scalable /proc/sys/net/ttp/available_congestion_control ||
		fail "not registered: $(cat /proc/sys/net/ttp/available_congestion_control)"
	out=$(python3 - <<'PY' 2>&1
import errno, socket, subprocess
s = socket.socket(13, socket.SOCK_STREAM, 0)
s.setsockopt(253, 14, b"scalable")
assert s.getsockopt(253, 14, 16).rstrip(b"\0") == b"scalable"
refs = open("/sys/module/ttp_cc_scalable/refcnt").read().strip()
assert refs == "1", "refcnt %s with one socket" % refs
r = subprocess.run(["rmmod", "ttp_cc_scalable"], capture_output=True)
assert r.returncode != 0, "rmmod succeeded while a socket used it"
s.close()
refs = open("/sys/module/ttp_cc_scalable/refcnt").read().strip()
assert refs == "0", "refcnt %s after close" % refs
PY
) || fail "$out"
	sysctl -qw net.ttp.congestion_control=scalable || fail "sysctl refused scalable"
	! rmmod ttp_cc_scalable 2>/dev/null || fail "rmmod succeeded while the default"
	sysctl -qw net.ttp.congestion_control=newreno
	rmmod ttp_cc_scalable || fail "rmmod failed with nothing using it"
	out=$(python3 - <<'PY' 2>&1
import errno, socket
s = socket.socket(13, socket.SOCK_STREAM, 0)
try:
    s.setsockopt(253, 14, b"scalable")
    raise AssertionError("scalable accepted after rmmod")
except OSError as e:
    assert e.errno == errno.ENOENT, e
PY
) || fail "$out"
}

segs_counted() { [ "$(awk '/^TtpInSegs/ {print $2}' /proc/net/ttp_stats)" -ge "$1" ]; } # N

t_received_segments_are_counted() {
	loaded || { need_ko; insmod "$ko"; }
	local before after
	before=$(awk '/^TtpInSegs/ {print $2}' /proc/net/ttp_stats)
	python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 253)
for i in range(10):
    s.sendto(b"\0" * 20, ("127.0.0.1", 0))'
	# Until the ten are counted (not one more may be).
	ttp_wait_for $TTP_READY_S segs_counted $((before + 10)) || true
	after=$(awk '/^TtpInSegs/ {print $2}' /proc/net/ttp_stats)
	[ "$after" -eq $((before + 10)) ] || fail "TtpInSegs went from $before to $after"
}

ttp_plan 9
ttp_run loads_with_defaults t_loads_with_defaults
ttp_run taken_family_fails_with_eexist t_taken_family_fails_with_eexist
ttp_run taken_protocol_fails_with_eexist t_taken_protocol_fails_with_eexist
ttp_run out_of_range_numbers_fail_with_einval t_out_of_range_numbers_fail_with_einval
ttp_run other_family_number_works t_other_family_number_works
ttp_run socket_autoloads_module t_socket_autoloads_module
ttp_run received_segments_are_counted t_received_segments_are_counted
ttp_run congestion_control_module_registers_and_is_held t_congestion_control_module_registers_and_is_held

# Leave the module as the other tests expect it.
if [ -n "$ko" ] && ! loaded; then
	insmod "$ko"
fi
ttp_run module_left_loaded t_loads_with_defaults
ttp_done
