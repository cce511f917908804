#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
#
# What a capture says of one TTP transfer: ttp_gso.sh captures, on the
# receiving end of a link, the segments a sender sent while it moved a
# file, and this checks them against the file.
#
#   ttp_capture.py PCAP FILE SRC [--mtu N] [--large] [--corrupt]
#
# PCAP: a tcpdump capture (Ethernet) of the link; FILE: the bytes sent;
# SRC: the sender's IPv4 address.  It checks every TTP frame from SRC:
#   - no frame is larger than the MTU (its IP datagram's size), unless
#     --large, which instead requires some to be: large segments reached
#     the device whole;
#   - its checksum verifies, in the algorithm its TTPF_CRC flag names (not
#     checked with --large: a large segment's checksum is left unfinished,
#     as TCP's is over veth), and so does its IP header's; with
#     --corrupt, those that do not are counted and left out, and there
#     must be some;
#   - its data is the file's at the offset its sequence number gives
#     (from the SYN's), and the frames together cover the whole file.
# Prints a line of figures, then must_drop=N: how many frames reach TTP at
# the receiver that it must drop (corrupted, or sent to its MAC with the
# group bit flipped); exits 1, saying why, if any check fails.
import os
import socket
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ttp_wire import CSUM, PROTO  # noqa: E402

SYN, CRC = 0x02, 0x20


def frames(path):
    """The frames of a pcap file (microsecond or nanosecond, either byte
    order), Ethernet only."""
    with open(path, "rb") as f:
        data = f.read()
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        end = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        end = ">"
    else:
        sys.exit("ttp_capture: %s is not a pcap file" % path)
    linktype = struct.unpack(end + "I", data[20:24])[0]
    if linktype != 1:
        sys.exit("ttp_capture: link type %d, not Ethernet" % linktype)
    off = 24
    while off + 16 <= len(data):
        incl, orig = struct.unpack(end + "II", data[off + 8:off + 16])
        off += 16
        yield data[off:off + incl], orig
        off += incl


def ip_sum(hdr):
    """The ones' complement sum of an IP header: 0xffff if intact."""
    v = sum(struct.unpack("!%dH" % (len(hdr) // 2), hdr))
    while v >> 16:
        v = (v & 0xffff) + (v >> 16)
    return v


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    opts = [a for a in sys.argv[1:] if a.startswith("--")]
    if len(args) != 3:
        sys.exit(__doc__ if __doc__ else
                 "usage: ttp_capture.py PCAP FILE SRC [--mtu N] [--large]"
                 " [--corrupt]")
    pcap, path, src = args
    mtu = 1500
    for o in opts:
        if o.startswith("--mtu="):
            mtu = int(o[6:])
    large = "--large" in opts
    corrupt = "--corrupt" in opts
    with open(path, "rb") as f:
        want = f.read()
    src_b = socket.inet_aton(src)

    # The receiver's MAC and IP address: where most frames go.
    dsts = {}
    for frame, orig in frames(pcap):
        if len(frame) >= 34 and frame[26:30] == src_b:
            k = (frame[0:6], frame[30:34])
            dsts[k] = dsts.get(k, 0) + 1
    mac, dst_b = max(dsts, key=dsts.get) if dsts else (b"", b"")
    must_drop = 0
    isn = None
    n = big = bad = data_frames = 0
    longest = 0
    covered = []  # [start, end) of the file, from good frames
    bad_at = []  # (offset, length) that frames failing the check claimed
    problems = []
    for frame, orig in frames(pcap):
        if len(frame) != orig:
            # Larger than the capture's snap length: larger than any
            # frame should be.
            problems.append("a frame of %d bytes, over the MTU" % orig)
            continue
        if len(frame) < 14 + 20 or frame[12:14] != b"\x08\x00":
            continue
        ip = frame[14:]
        ihl = (ip[0] & 0x0f) * 4
        if ip[9] != PROTO or ip[12:16] != src_b:
            continue
        n += 1
        # The size on the wire, whatever the header says.
        longest = max(longest, len(ip))
        if len(ip) > mtu:
            big += 1
        tot = struct.unpack("!H", ip[2:4])[0]
        # Frames IP hands to TTP at the receiver: its IP address, and its
        # MAC, or its MAC with the group bit flipped (TTP drops those).
        to_ttp = ip[16:20] == dst_b and (frame[0:6] == mac or (
            frame[0] ^ 1 == mac[0] and frame[1:6] == mac[1:6]))
        if ihl < 20 or tot > len(ip) or ip_sum(ip[:ihl]) != 0xffff:
            # Corrupted on the way (IP drops it): the TTP check's case.
            bad += 1
            if not corrupt and bad <= 5:
                problems.append("a frame with a bad IP header")
            continue
        seg = ip[ihl:tot]
        if len(seg) < 20:
            problems.append("a TTP frame of %d bytes" % len(seg))
            continue
        flags = seg[13]
        doff = (seg[12] & 0x0f) * 4
        if not large:
            c = CSUM.ttp_csum_seg(ip[12:16], ip[16:20], PROTO, seg,
                                  len(seg), flags & CRC)
            field = struct.unpack("!I", seg[16:20])[0]
            # Ones' complement has two zeros: 0x0000 and 0xffff agree.
            if not flags & CRC and {c, field} <= {0, 0xffff0000}:
                c = field
            if c != field:
                must_drop += to_ttp
                if isn is not None:
                    bad_at.append(((struct.unpack("!I", seg[4:8])[0] - isn -
                                    1) & 0xffffffff, len(seg) - doff))
                bad += 1
                if not corrupt and bad <= 5:
                    problems.append("seq %u: checksum %08x, should be "
                                    "%08x" % (struct.unpack("!I", seg[4:8])[0],
                                              field, c))
                continue
        if frame[0:6] != mac and to_ttp:
            must_drop += 1
        seq = struct.unpack("!I", seg[4:8])[0]
        if flags & SYN:
            if isn is not None and seq != isn:
                problems.append("SYNs with sequence numbers %u and %u"
                                % (isn, seq))
            isn = seq
            continue
        payload = seg[doff:]
        if not payload:
            continue
        if isn is None:
            problems.append("data before the SYN was captured")
            break
        at = (seq - isn - 1) & 0xffffffff
        if at + len(payload) > len(want):
            problems.append("%d bytes at offset %d, past the file's %d"
                            % (len(payload), at, len(want)))
            continue
        data_frames += 1
        if payload != want[at:at + len(payload)]:
            problems.append("the %d bytes at offset %d are not the file's"
                            % (len(payload), at))
            continue
        covered.append((at, at + len(payload)))

    covered.sort()
    reach = 0
    for s, e in covered:
        if s > reach:
            break
        reach = max(reach, e)
    print("%d frames from %s, %d with data, largest IP length %d, %d over "
          "MTU %d, %d failed the checksum; data covered up to %d of %d"
          % (n, src, data_frames, longest, big, mtu, bad, reach, len(want)))
    # Those that reach TTP at the receiver and that it must drop, each in
    # one of TtpInHdrErrors, TtpInVersionErrors, TtpInCsumErrors.
    print("must_drop=%d" % must_drop)
    if large and not big:
        problems.append("no frame over the MTU: no large segment arrived "
                        "whole")
    if not large and big:
        problems.append("%d frames over the MTU" % big)
    if corrupt and not bad:
        problems.append("no frame failed its checksum: nothing was "
                        "corrupted")
    if not corrupt and bad:
        problems.append("%d frames failed their checksum" % bad)
    if reach < len(want):
        near = [b for b in bad_at if b[0] <= reach < b[0] + b[1]]
        problems.append("the frames cover the file only up to byte %d; "
                        "%d frames that failed the checksum claimed to "
                        "hold it; the SYN's sequence number %s; the first "
                        "intact data %s" % (reach, len(near), isn,
                                            covered[:3]))
    for p in problems[:10]:
        print("FAIL: " + p)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
