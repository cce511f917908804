#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
#
# check.py DIR: what tshark, with ttp.lua, says of the captures that
# userspace/wireshark/capture made in DIR, checked.
#
#   handshake-close.pcap, inet-checksum.pcap: a SYN then a SYN+ACK, with
#     ports, flags and options (MSS, window scale, the checksum algorithms
#     offered then chosen, SACK permitted, timestamps), the negotiation
#     summed up on the SYN+ACK; a line of data each way (relative sequence
#     1, 22 bytes, the right bytes), a FIN each way ending at relative 24,
#     no retransmission; every checksum good, in the algorithm negotiated
#     (the Internet checksum for SYNs);
#   the same capture with one byte of data flipped: that segment's checksum
#     is bad, and it says so, the others stay good;
#   loss.pcap: every checksum good; the segments flagged as retransmissions
#     are exactly those that repeat bytes an earlier frame from the same
#     side already carried (computed here from the raw sequence numbers),
#     at most as many as the sender counted (DIR/loss.retransmitted) and,
#     with --sample, at least one; SACK blocks and duplicate ACKs present
#     with --sample, each block inside what was sent;
#   refused.pcap: a SYN, and a RST+ACK acknowledging it.
#
# Exit status: 0 all good, 1 a check failed (each failure is printed).
import os
import struct
import subprocess
import sys
import tempfile

here = os.path.dirname(os.path.abspath(__file__))
LUA = os.path.join(here, "ttp.lua")
FIELDS = [
    "frame.number", "ip.src", "toyttp.srcport", "toyttp.dstport",
    "toyttp.flags", "toyttp.seq", "toyttp.seq_raw", "toyttp.ack",
    "toyttp.len", "toyttp.nxtseq", "toyttp.checksum.algorithm",
    "toyttp.checksum.status", "toyttp.role", "toyttp.option.kind",
    "toyttp.option.mss", "toyttp.option.wscale.shift",
    "toyttp.option.csum.offered", "toyttp.option.csum.chosen",
    "toyttp.option.timestamp.tsval", "toyttp.option.sack_le",
    "toyttp.option.sack_re", "toyttp.analysis.retransmission",
    "toyttp.analysis.duplicate_ack", "toyttp.analysis.negotiated",
    "toyttp.payload", "_ws.expert.message", "_ws.col.Info",
]
SYN, RST, ACK, FIN = 0x02, 0x04, 0x10, 0x01
HELLO = {"hello from the client\n", "hello from the server\n"}

failures = []


def check(ok, what):
    if not ok:
        failures.append(what)
    return ok


def decode(pcap):
    cmd = ["tshark", "-n", "-X", "lua_script:" + LUA, "-r", pcap, "-T", "fields",
           "-E", "separator=\t", "-E", "occurrence=a", "-E", "aggregator=;"]
    for f in FIELDS:
        cmd += ["-e", f]
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode:
        sys.exit("check: tshark failed on %s: %s" % (pcap, out.stderr.strip()))
    if "Lua" in out.stderr and "rror" in out.stderr:
        sys.exit("check: ttp.lua failed: %s" % out.stderr.strip())
    rows = []
    for line in out.stdout.splitlines():
        vals = line.split("\t")
        rows.append(dict(zip(FIELDS, vals + [""] * (len(FIELDS) - len(vals)))))
    return rows


def num(v):
    return int(v, 0) if v else None


def conversation(name, pcap, port, algo):
    rows = decode(pcap)
    what = name + ": "
    if not check(len(rows) >= 7, what + "%d frames, not the 7 or more of a connection" % len(rows)):
        return
    syn, synack = rows[0], rows[1]
    check(syn["toyttp.role"] == "SYN" and synack["toyttp.role"] == "SYN+ACK",
          what + "first frames are %s, %s" % (syn["toyttp.role"], synack["toyttp.role"]))
    check(num(syn["toyttp.dstport"]) == port and num(synack["toyttp.srcport"]) == port,
          what + "ports %s -> %s" % (syn["toyttp.srcport"], syn["toyttp.dstport"]))
    check(num(syn["toyttp.srcport"]) >= 1024, what + "client port " + syn["toyttp.srcport"])
    check(num(syn["toyttp.flags"]) == SYN and num(synack["toyttp.flags"]) == SYN | ACK,
          what + "flags %s, %s" % (syn["toyttp.flags"], synack["toyttp.flags"]))
    for r in (syn, synack):
        kinds = r["toyttp.option.kind"].split(";")
        check(num(r["toyttp.option.mss"]) == 1460, what + "MSS " + r["toyttp.option.mss"])
        check(r["toyttp.option.wscale.shift"] != "", what + "no window scale")
        check("5" in kinds, what + "no SACK permitted (kinds %s)" % kinds)
        check(r["toyttp.option.timestamp.tsval"] != "", what + "no timestamps")
        check(num(r["toyttp.seq"]) == 0, what + "SYN at relative " + r["toyttp.seq"])
        check(num(r["toyttp.checksum.algorithm"]) == 0, what + "a SYN not in the Internet checksum")
    offered = "inet,crc32c" if algo == 1 else "inet"
    chosen = "crc32c" if algo == 1 else "inet"
    check(syn["toyttp.option.csum.offered"] == offered,
          what + "offered " + syn["toyttp.option.csum.offered"])
    check(synack["toyttp.option.csum.chosen"] == chosen,
          what + "chosen " + synack["toyttp.option.csum.chosen"])
    check(synack["toyttp.analysis.negotiated"].startswith("checksum " + chosen) and
          "SACK" in synack["toyttp.analysis.negotiated"] and
          "timestamps" in synack["toyttp.analysis.negotiated"],
          what + "negotiated: " + synack["toyttp.analysis.negotiated"])
    check(num(synack["toyttp.ack"]) == 1, what + "SYN+ACK acknowledges " + synack["toyttp.ack"])
    data = [r for r in rows if r["toyttp.role"] == "data"]
    fins = [r for r in rows if r["toyttp.role"] == "FIN"]
    check(len(data) == 2 and len({r["ip.src"] for r in data}) == 2,
          what + "data frames: %d" % len(data))
    for r in data:
        check(num(r["toyttp.seq"]) == 1 and num(r["toyttp.len"]) == 22,
              what + "data at %s, %s bytes" % (r["toyttp.seq"], r["toyttp.len"]))
        check(bytes.fromhex(r["toyttp.payload"].replace(":", "")).decode(errors="replace") in HELLO,
              what + "payload " + r["toyttp.payload"])
    check(len(fins) == 2 and all(num(r["toyttp.nxtseq"]) == 24 for r in fins),
          what + "FINs: %s" % [(r["toyttp.seq"], r["toyttp.nxtseq"]) for r in fins])
    check(rows[-1]["toyttp.role"] == "ACK" and num(rows[-1]["toyttp.ack"]) == 24,
          what + "last frame %s, ack %s" % (rows[-1]["toyttp.role"], rows[-1]["toyttp.ack"]))
    for r in rows:
        n = r["frame.number"]
        check(r["toyttp.checksum.status"] == "1", what + "frame %s: checksum status %s" %
              (n, r["toyttp.checksum.status"]))
        check(r["toyttp.analysis.retransmission"] == "", what + "frame %s: a retransmission" % n)
        if not num(r["toyttp.flags"]) & SYN:
            check(num(r["toyttp.checksum.algorithm"]) == algo,
                  what + "frame %s: algorithm %s" % (n, r["toyttp.checksum.algorithm"]))


# A copy of @pcap with the last byte of the first data frame flipped.
def corrupt(pcap, out):
    rows = decode(pcap)
    target = next(int(r["frame.number"]) for r in rows if num(r["toyttp.len"]))
    with open(pcap, "rb") as f:
        data = bytearray(f.read())
    end = "<" if data[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    off, n = 24, 0
    while off + 16 <= len(data):
        incl = struct.unpack(end + "I", data[off + 8:off + 12])[0]
        n += 1
        if n == target:
            data[off + 16 + incl - 1] ^= 0x40
            break
        off += 16 + incl
    with open(out, "wb") as f:
        f.write(data)
    return target


def corrupted(pcap):
    with tempfile.TemporaryDirectory() as d:
        bad = os.path.join(d, "bad.pcap")
        target = corrupt(pcap, bad)
        for r in decode(bad):
            n = int(r["frame.number"])
            if n == target:
                check(r["toyttp.checksum.status"] == "0", "corrupted: frame %d status %s" %
                      (n, r["toyttp.checksum.status"]))
                check("Bad checksum" in r["_ws.expert.message"],
                      "corrupted: no expert note: " + r["_ws.expert.message"])
                check("[bad checksum]" in r["_ws.col.Info"], "corrupted: info " + r["_ws.col.Info"])
            else:
                check(r["toyttp.checksum.status"] == "1", "corrupted: frame %d status %s" %
                      (n, r["toyttp.checksum.status"]))


def loss(pcap, retransmitted, sample):
    rows = decode(pcap)
    what = "loss: "
    top = {}
    expect = set()
    sent = {}
    for r in rows:
        n = int(r["frame.number"])
        check(r["toyttp.checksum.status"] == "1", what + "frame %d: checksum status %s" %
              (n, r["toyttp.checksum.status"]))
        fl = num(r["toyttp.flags"])
        seglen = num(r["toyttp.len"]) + bool(fl & SYN) + bool(fl & FIN)
        if seglen == 0 or fl & RST:
            continue
        src = r["ip.src"]
        start = num(r["toyttp.seq_raw"])
        end = (start + seglen) % 2**32
        if src in top and ((top[src] - end) % 2**32) < 2**31:
            expect.add(n)
        if src not in top or ((end - top[src]) % 2**32) < 2**31:
            top[src] = end
        sent[src] = max(sent.get(src, 0), num(r["toyttp.nxtseq"]))
    flagged = {int(r["frame.number"]) for r in rows if r["toyttp.analysis.retransmission"]}
    check(flagged == expect, what + "flagged %s, repeats %s" % (sorted(flagged), sorted(expect)))
    check(len(flagged) <= retransmitted, what + "%d flagged, %d retransmitted" %
          (len(flagged), retransmitted))
    sacks = [r for r in rows if r["toyttp.option.sack_le"]]
    for r in sacks:
        les = [int(x) for x in r["toyttp.option.sack_le"].split(";")]
        res = [int(x) for x in r["toyttp.option.sack_re"].split(";")]
        for le, re_ in zip(les, res):
            check(1 <= le < re_ <= max(sent.values()),
                  what + "frame %s: SACK block %d-%d" % (r["frame.number"], le, re_))
    if sample:
        check(len(flagged) >= 1, what + "no retransmission flagged")
        check(len(sacks) >= 1, what + "no SACK block")
        check(any(r["toyttp.analysis.duplicate_ack"] for r in rows), what + "no duplicate ACK")
    print("loss: %d frames, %d retransmissions flagged (the sender counted %d), %d with SACK blocks"
          % (len(rows), len(flagged), retransmitted, len(sacks)))


def refused(pcap):
    rows = decode(pcap)
    check(len(rows) == 2, "refused: %d frames" % len(rows))
    if len(rows) == 2:
        check(rows[0]["toyttp.role"] == "SYN" and num(rows[0]["toyttp.dstport"]) == 7003,
              "refused: first frame " + rows[0]["_ws.col.Info"])
        check(rows[1]["toyttp.role"] == "RST" and num(rows[1]["toyttp.flags"]) == RST | ACK and
              num(rows[1]["toyttp.ack"]) == 1, "refused: second frame " + rows[1]["_ws.col.Info"])


def main():
    args = sys.argv[1:]
    sample = "--sample" in args
    args = [a for a in args if a != "--sample"]
    if len(args) != 1:
        sys.exit("usage: check.py [--sample] DIR")
    d = args[0]
    with open(os.path.join(d, "loss.retransmitted")) as f:
        retransmitted = int(f.read())
    conversation("handshake-close", os.path.join(d, "handshake-close.pcap"), 7000, 1)
    conversation("inet-checksum", os.path.join(d, "inet-checksum.pcap"), 7001, 0)
    corrupted(os.path.join(d, "handshake-close.pcap"))
    loss(os.path.join(d, "loss.pcap"), retransmitted, sample)
    refused(os.path.join(d, "refused.pcap"))
    for f in failures:
        print("check: " + f)
    sys.exit(1 if failures else 0)


main()
