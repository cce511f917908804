#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# ttprun: unmodified TCP programs over TTP between two hosts (network
# namespaces over veth).  Python's http.server serves 8 MiB of random data
# to curl, to Python's urllib and to wget, byte-exact, with nothing but IP
# protocol 253 on the wire (a capture, and the namespaces' TCP counters
# unchanged while TTP's grow); a dual-stack (IPv6) server; what Python's
# socket module sees; and programs not started under ttprun stay on TCP.
cd "$(dirname "$0")" || exit 1
. ./lib.sh
. ./userspace_lib.sh

run=$US/ttprun
checks=$PWD/ttprun_sockets.py
FILE_SIZE=8388608

sha() { sha256sum <"$1" | cut -d' ' -f1; }

# Tcp OutSegs of /proc/net/snmp in namespace NS.
tcp_out() {
	ip netns exec "$1" awk '/^Tcp:/ { if (!n) { for (i = 1; i <= NF; i++) if ($i == "OutSegs") c = i; n = 1 } else print $c }' /proc/net/snmp
}

# serve_http NS PORT [ARGS]: python3 -m http.server under ttprun in $TMP/www.
serve_http() {
	local ns=$1 port=$2
	shift 2
	(cd "$TMP/www" && PYTHONUNBUFFERED=1 exec ip netns exec "$ns" "$run" python3 -m http.server "$@" "$port") \
		>"$TMP/http-$port.log" 2>&1 &
	us_wait_listen "$ns" "$port" || { cat "$TMP/http-$port.log"; return 1; }
}

setup_www() {
	mkdir -p "$TMP/www"
	head -c $FILE_SIZE /dev/urandom >"$TMP/www/file"
	serve_http $S 8000
}

t_curl_fetches_8mib_over_ttp_only() {
	command -v tcpdump >/dev/null || fail "tcpdump is not installed (scripts/install-deps)"
	command -v curl >/dev/null || fail "curl is not installed (scripts/install-deps)"
	local tcp_s tcp_c ttp_s cap=$TMP/cap.pcap dump i n253 ntcp
	tcp_s=$(tcp_out $S) tcp_c=$(tcp_out $C) ttp_s=$(us_stat $S TtpOutSegs)
	ip netns exec $C tcpdump -i veth-c -n -U -w "$cap" 2>"$TMP/tcpdump.err" &
	dump=$!
	for i in $(seq 100); do
		grep -q "listening on" "$TMP/tcpdump.err" && break
		sleep 0.1
	done
	timeout 120 ip netns exec $C "$run" curl -sS -o "$TMP/curl.got" "http://$SADDR:8000/file" ||
		fail "curl exited $?"
	sleep 0.5
	kill -INT $dump
	wait $dump || true
	[ "$(sha "$TMP/www/file")" = "$(sha "$TMP/curl.got")" ] ||
		fail "got $(stat -c %s "$TMP/curl.got") bytes, digests differ"
	n253=$(tcpdump -r "$cap" -n 'ip proto 253' 2>/dev/null | wc -l)
	ntcp=$(tcpdump -r "$cap" -n 'tcp' 2>/dev/null | wc -l)
	echo "captured: $n253 segments of IP protocol 253, $ntcp TCP segments"
	[ "$n253" -ge $((FILE_SIZE / 1500)) ] || fail "too few TTP segments on the wire"
	[ "$ntcp" -eq 0 ] || fail "TCP on the wire"
	[ "$(tcp_out $S)" = "$tcp_s" ] || fail "server's Tcp OutSegs moved: $tcp_s -> $(tcp_out $S)"
	[ "$(tcp_out $C)" = "$tcp_c" ] || fail "client's Tcp OutSegs moved: $tcp_c -> $(tcp_out $C)"
	echo "server TtpOutSegs: $ttp_s -> $(us_stat $S TtpOutSegs)"
	[ "$(us_stat $S TtpOutSegs)" -ge $((ttp_s + FILE_SIZE / 1500)) ] ||
		fail "TtpOutSegs did not grow by the file's segments"
}

t_urllib_fetches_8mib() {
	local out
	out=$(timeout 120 ip netns exec $C "$run" python3 -c '
import hashlib, sys, urllib.request
d = urllib.request.urlopen(sys.argv[1], timeout=60).read()
print(len(d), hashlib.sha256(d).hexdigest())' "http://$SADDR:8000/file") ||
		fail "urllib failed: $out"
	[ "$out" = "$FILE_SIZE $(sha "$TMP/www/file")" ] || fail "urllib got: $out"
}

t_wget_fetches_8mib() {
	command -v wget >/dev/null || fail "wget is not installed (scripts/install-deps)"
	timeout 120 ip netns exec $C "$run" wget -q -O "$TMP/wget.got" "http://$SADDR:8000/file" ||
		fail "wget exited $?"
	[ "$(sha "$TMP/www/file")" = "$(sha "$TMP/wget.got")" ] || fail "digests differ"
}

# A name: curl resolves localhost (to ::1 and/or 127.0.0.1) and tries
# its addresses; ::1 is refused by TTP (IPv4 only), 127.0.0.1 works.
t_curl_by_name_on_loopback() {
	timeout 120 ip netns exec $S "$run" curl -sS -o "$TMP/lo.got" "http://localhost:8000/file" ||
		fail "curl exited $?"
	[ "$(sha "$TMP/www/file")" = "$(sha "$TMP/lo.got")" ] || fail "digests differ"
}

# --bind :: makes http.server's socket AF_INET6 (dual stack): it must
# serve IPv4 clients over TTP and see them as v4-mapped addresses.
t_ipv6_dual_stack_server() {
	serve_http $S 8001 --bind :: || fail "the server did not start"
	timeout 120 ip netns exec $C "$run" curl -sS -o "$TMP/v6.got" "http://$SADDR:8001/file" ||
		fail "curl exited $?"
	[ "$(sha "$TMP/www/file")" = "$(sha "$TMP/v6.got")" ] || fail "digests differ"
	cat "$TMP/http-8001.log"
	grep -q "Serving HTTP on :: port 8001" "$TMP/http-8001.log" || fail "not an IPv6 socket"
	grep -q "^::ffff:$CADDR - .*GET /file" "$TMP/http-8001.log" || fail "client address not v4-mapped"
}

t_python_socket_module() {
	local c
	ip netns exec $S "$run" python3 "$checks" server 8100 >"$TMP/echo.log" 2>&1 &
	us_wait_listen $S 8100 || fail "the echo server did not start: $(cat "$TMP/echo.log")"
	for c in addresses_look_like_af_inet tcp_options_map_to_ttp \
		nonblocking_connect_then_so_error refused_connect_reports_econnrefused \
		udp_and_unix_untouched ipv6_dual_stack_listener_reports_mapped \
		ipv6_only_socket_stays_tcp; do
		timeout 60 ip netns exec $C "$run" python3 "$checks" $c $SADDR 8100 ||
			fail "check $c failed"
		echo "$c: passed"
	done
}

# Without ttprun nothing changes: the same programs speak TCP.
t_without_ttprun_programs_stay_tcp() {
	local tcp_c ttp_c
	(cd "$TMP/www" && exec ip netns exec $S python3 -m http.server 8200) >/dev/null 2>&1 &
	for _ in $(seq 100); do
		ip netns exec $S grep -q ":2008 00000000:0000 0A" /proc/net/tcp && break
		sleep 0.1
	done
	tcp_c=$(tcp_out $C) ttp_c=$(us_stat $C TtpOutSegs)
	timeout 120 ip netns exec $C curl -sS -o "$TMP/tcp.got" "http://$SADDR:8200/file" ||
		fail "curl over TCP exited $?"
	[ "$(sha "$TMP/www/file")" = "$(sha "$TMP/tcp.got")" ] || fail "digests differ"
	[ "$(tcp_out $C)" -gt "$tcp_c" ] || fail "Tcp OutSegs did not grow"
	[ "$(us_stat $C TtpOutSegs)" = "$ttp_c" ] || fail "TTP was used"
}

t_ttprun_command_line() {
	local rc=0 out
	"$run" sh -c 'exit 7' || rc=$?
	[ $rc -eq 7 ] || fail "the program's status 7 came back as $rc"
	out=$("$run" sh -c 'echo "$LD_PRELOAD"')
	[[ $out == "$US/libttp-preload.so"* ]] || fail "LD_PRELOAD is '$out'"
	rc=0
	"$run" 2>/dev/null || rc=$?
	[ $rc -eq 2 ] || fail "no program: status $rc, not 2"
	rc=0
	TTP_PRELOAD_LIB=/nonexistent "$run" true 2>/dev/null || rc=$?
	[ $rc -eq 3 ] || fail "missing shim: status $rc, not 3"
}

us_require ttprun libttp-preload.so
trap us_cleanup EXIT
ttp_plan 8
us_setup || { echo "Bail out! cannot build the network namespaces"; exit 1; }
setup_www || { echo "Bail out! http.server did not start under ttprun"; exit 1; }
ttp_run curl_fetches_8mib_from_http_server_over_ttp_only t_curl_fetches_8mib_over_ttp_only
ttp_run urllib_fetches_8mib_byte_exact t_urllib_fetches_8mib
ttp_run wget_fetches_8mib_byte_exact t_wget_fetches_8mib
ttp_run curl_by_name_localhost_over_loopback t_curl_by_name_on_loopback
ttp_run ipv6_dual_stack_http_server_serves_ipv4_over_ttp t_ipv6_dual_stack_server
ttp_run python_socket_module_sees_af_inet_tcp t_python_socket_module
ttp_run without_ttprun_programs_stay_tcp t_without_ttprun_programs_stay_tcp
ttp_run ttprun_passes_status_and_checks_arguments t_ttprun_command_line
ttp_done
