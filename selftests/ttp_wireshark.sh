#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The Wireshark dissector (userspace/wireshark/ttp.lua) on captures taken
# here, on this lane's kernel: userspace/wireshark/capture takes them (a
# handshake and close with CRC32C and with the Internet checksum, 256 KiB
# under netem loss, a refused connect), then tshark decodes them and
# userspace/wireshark/check.py checks what it says (ports, flags,
# options and the negotiation, relative numbers, data, every checksum good
# and a flipped byte found bad, retransmissions flagged where the capture
# repeats bytes, SACK blocks, the RST).  The same checks run on the host
# on the sample captures that ship with the dissector.
cd "$(dirname "$0")" || exit 1
. ./lib.sh

ws=$(cd ../userspace/wireshark && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

t_dissector_decodes_captures_taken_here() {
	"$ws/capture" "$tmp/pcaps" || fail "the captures failed"
	python3 "$ws/check.py" "$tmp/pcaps"
}

command -v tshark >/dev/null ||
	{ echo "Bail out! tshark is needed (scripts/install-deps)"; exit 1; }
ttp_plan 1
ttp_run dissector_decodes_captures_taken_here t_dissector_decodes_captures_taken_here
ttp_done
