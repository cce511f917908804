# SPDX-License-Identifier: GPL-2.0-only
#
# Shared by the selftests of the userspace tools (ttp_ttp*.sh): where the
# tools are, and two hosts, network namespaces $S (server, $SADDR) and $C
# (client, $CADDR) joined by a veth pair.
#
#   us_require TOOL...    fail the whole program if a tool is not built
#   us_setup              build the namespaces (TIME_WAIT shortened)
#   us_cleanup            kill what runs in them and remove them
#   us_wait_listen NS PORT
#                         wait until a TTP listener holds PORT in NS

US=$(cd "$(dirname "${BASH_SOURCE[0]}")/../userspace" && pwd)
S=ttp-us-srv-$$
C=ttp-us-cli-$$
SADDR=10.78.0.1
CADDR=10.78.0.2
TMP=$(mktemp -d /tmp/ttp-us.XXXXXX)

us_require() {
	local t
	for t in "$@"; do
		if [ ! -x "$US/$t" ]; then
			echo "Bail out! $US/$t is not built (make userspace)"
			exit 1
		fi
	done
}

us_setup() {
	ttp_pair $S $C $SADDR $CADDR || return 1
	ip netns exec $S sysctl -qw net.ttp.time_wait_ms=500
	ip netns exec $C sysctl -qw net.ttp.time_wait_ms=500
}

us_cleanup() {
	ttp_ns_del $S $C
	rm -rf "$TMP"
}

us_wait_listen() { ttp_wait_listen "$@"; }

# Counter NAME of /proc/net/ttp_stats in namespace NS.
us_stat() {
	ip netns exec "$1" awk -v n="$2" '$1 == n {print $2}' /proc/net/ttp_stats
}
