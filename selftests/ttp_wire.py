#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
#
# TTP on the wire: segments crafted with a raw IP socket on loopback, and
# what ttp.ko does with them.  Malformed segments are dropped and counted,
# segments to closed ports get a RST, initial sequence numbers cannot be
# guessed, and the handshake negotiates what it should.
#
# Run as root with ttp.ko loaded; prints TAP like kselftest_harness.h.
import ctypes
import errno
import os
import random
import select
import socket
import struct
import sys
import time

PROTO = int(open("/sys/module/ttp/parameters/protocol").read())
FAMILY = int(open("/sys/module/ttp/parameters/family").read())
LO = "127.0.0.1"

FIN, SYN, RST, PSH, ACK, CRC = 0x01, 0x02, 0x04, 0x08, 0x10, 0x20


def _load_csum():
    """ttp_csum.so beside this file (make -C selftests): the reference
    checksums of module/ref_csum.h, which the KUnit tests and ttp_attack
    use too."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                        "ttp_csum.so")
    if not os.path.exists(path):
        sys.exit("ttp_wire.py: %s is missing: run make -C selftests" % path)
    lib = ctypes.CDLL(path)
    lib.ttp_csum_seg.argtypes = [ctypes.c_char_p, ctypes.c_char_p,
                                 ctypes.c_uint, ctypes.c_char_p,
                                 ctypes.c_size_t, ctypes.c_int]
    lib.ttp_csum_seg.restype = ctypes.c_uint32
    return lib


CSUM = _load_csum()


def segment(sport, dport, seq=0, ack=0, flags=SYN, window=65535,
            options=b"", payload=b"", version=1, doff=None, src=LO, dst=LO,
            good_csum=True):
    """A TTP segment with a correct checksum (unless told not): CRC32C if
    flags has CRC, else the Internet checksum."""
    if doff is None:
        doff = (20 + len(options)) // 4
    hdr = struct.pack("!HHIIBBHI", sport, dport, seq, ack,
                      (version << 4) | doff, flags, window, 0)
    seg = hdr + options + payload
    # The whole field: the Internet checksum is its upper half.
    c = CSUM.ttp_csum_seg(socket.inet_aton(src), socket.inet_aton(dst),
                          PROTO, seg, len(seg), flags & CRC)
    if not good_csum:
        c ^= 0x5a5a if flags & CRC else 0x5a5a << 16
    return seg[:16] + struct.pack("!I", c) + seg[20:]


def parse(seg):
    sport, dport, seq, ack, vd, flags, window = struct.unpack("!HHIIBBH",
                                                              seg[:16])
    return dict(sport=sport, dport=dport, seq=seq, ack=ack,
                version=vd >> 4, doff=vd & 15, flags=flags, window=window,
                options=seg[20:(vd & 15) * 4], payload=seg[(vd & 15) * 4:])


def stats():
    out = {}
    for line in open("/proc/net/ttp_stats"):
        k, v = line.split()
        out[k] = int(v)
    return out


class Raw:
    """A raw IP socket of protocol 253: sends segments, sees every one."""

    def __init__(self):
        self.s = socket.socket(socket.AF_INET, socket.SOCK_RAW, PROTO)

    def send(self, seg, dst=LO):
        self.s.sendto(seg, (dst, 0))

    def recv(self, match, timeout=2.0):
        """The first segment for which match(parsed) holds, or None."""
        end = time.time() + timeout
        while time.time() < end:
            r, _, _ = select.select([self.s], [], [], end - time.time())
            if not r:
                break
            pkt = self.s.recv(65535)
            ihl = (pkt[0] & 15) * 4
            p = parse(pkt[ihl:])
            if match(p):
                return p
        return None

    def close(self):
        self.s.close()


class sockaddr_ttp(ctypes.Structure):
    _fields_ = [("family", ctypes.c_ushort), ("port", ctypes.c_ushort),
                ("ipfamily", ctypes.c_ushort), ("res1", ctypes.c_ushort),
                ("addr", ctypes.c_uint8 * 16), ("scope", ctypes.c_uint32),
                ("res2", ctypes.c_uint32)]


libc = ctypes.CDLL(None, use_errno=True)


def ttp_addr(ip, port):
    a = sockaddr_ttp()
    a.family = FAMILY
    a.port = socket.htons(port)
    a.ipfamily = socket.AF_INET
    ctypes.memmove(a.addr, socket.inet_aton(ip), 4)
    return a


def ttp_listener(port, backlog=16):
    s = socket.socket(FAMILY, socket.SOCK_STREAM, 0)
    a = ttp_addr(LO, port)
    if libc.bind(s.fileno(), ctypes.byref(a), ctypes.sizeof(a)) or \
       libc.listen(s.fileno(), backlog):
        raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()))
    return s


def ttp_connect(port, sock=None):
    s = sock or socket.socket(FAMILY, socket.SOCK_STREAM, 0)
    a = ttp_addr(LO, port)
    if libc.connect(s.fileno(), ctypes.byref(a), ctypes.sizeof(a)):
        e = ctypes.get_errno()
        s.close()
        raise OSError(e, os.strerror(e))
    return s


def ttp_accept(lst):
    """accept() through libc: Python cannot decode a TTP address."""
    fd = libc.accept(lst.fileno(), None, None)
    if fd < 0:
        e = ctypes.get_errno()
        raise OSError(e, os.strerror(e))
    return socket.socket(FAMILY, socket.SOCK_STREAM, 0, fileno=fd)


SOL_TTP, TTP_INFO, TTP_MAXSEG, TTP_CSUM_ALGO = 253, 1, 3, 4


def parse_options(opts):
    """{kind: value bytes} of an options area."""
    kinds, i = {}, 0
    while i < len(opts):
        if opts[i] == 0:
            break
        if opts[i] == 1:
            i += 1
            continue
        kinds[opts[i]] = opts[i + 2:i + opts[i + 1]]
        i += opts[i + 1]
    return kinds


TTPI_OPT_WSCALE, TTPI_OPT_SACK, TTPI_OPT_CRC32C, TTPI_OPT_SYNCOOKIE = \
    0x01, 0x02, 0x04, 0x10


def ttp_info(s):
    b = s.getsockopt(SOL_TTP, TTP_INFO, 8)
    state, csum, sws, rws, mss, opts = struct.unpack("=BBBBHH", b[:8])
    return dict(state=state, csum=csum, snd_wscale=sws, rcv_wscale=rws,
                mss=mss, options=opts)


# ---- tests ----

class Fail(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Fail(what)


def wait_until(cond, secs=120):
    """Poll cond until it holds; whether it did.  The cap only ends a
    hung test: what is waited for comes as soon as the kernel gets to it."""
    end = time.monotonic() + secs
    while not cond():
        if time.monotonic() > end:
            return False
        time.sleep(0.05)
    return True


def counted(name, fn, n=1):
    """Run fn and check that counter `name` grew by at least n."""
    before = stats()[name]
    fn()
    wait_until(lambda: stats()[name] >= before + n)
    after = stats()[name]
    check(after >= before + n, "%s went from %d to %d" % (name, before, after))


def t_unknown_version_dropped_and_counted():
    r = Raw()
    counted("TtpInVersionErrors",
            lambda: [r.send(segment(1000 + i, 4000, version=2))
                     for i in range(5)], 5)
    r.close()


def t_truncated_header_dropped_and_counted():
    r = Raw()
    counted("TtpInHdrErrors", lambda: r.send(segment(1000, 4000)[:12]))
    r.close()


def t_header_length_that_lies_dropped_and_counted():
    r = Raw()
    # doff below the minimum, and doff beyond the segment.
    counted("TtpInHdrErrors", lambda: (r.send(segment(1000, 4000, doff=4)),
                                        r.send(segment(1000, 4000, doff=15))),
            2)
    r.close()


def t_malformed_options_with_good_checksum_counted():
    r = Raw()
    bad = [b"\x02\x01\x00\x00",        # MSS with length 1
           b"\x02\x08\x05\xb4",        # MSS longer than the header
           b"\x03\x04\x07\x00"]        # WSCALE with the wrong length
    counted("TtpInHdrErrors",
            lambda: [r.send(segment(1000, 4000, options=o)) for o in bad], 3)
    r.close()


def t_bad_checksum_dropped_without_reply():
    r = Raw()
    lst = ttp_listener(4100)
    counted("TtpInCsumErrors",
            lambda: r.send(segment(1001, 4100, seq=7, good_csum=False)))
    reply = r.recv(lambda p: p["dport"] == 1001, timeout=0.5)
    check(reply is None, "a corrupted SYN was answered")
    lst.close()
    r.close()


def t_syn_to_closed_port_gets_rst_ack():
    r = Raw()
    r.send(segment(1002, 4999, seq=1234, flags=SYN))
    p = r.recv(lambda p: p["sport"] == 4999 and p["dport"] == 1002)
    check(p is not None, "no reply")
    check(p["flags"] & RST and p["flags"] & ACK, "flags %#x" % p["flags"])
    check(p["ack"] == 1235, "RST acknowledges %d, not 1235" % p["ack"])
    r.close()


def t_ack_to_closed_port_gets_rst_at_its_ack():
    r = Raw()
    r.send(segment(1003, 4999, seq=5, ack=777, flags=ACK))
    p = r.recv(lambda p: p["sport"] == 4999 and p["dport"] == 1003)
    check(p is not None, "no reply")
    check(p["flags"] == RST and p["seq"] == 777,
          "flags %#x seq %d" % (p["flags"], p["seq"]))
    r.close()


def t_rst_to_closed_port_gets_no_reply():
    r = Raw()
    r.send(segment(1004, 4999, seq=5, flags=RST))
    p = r.recv(lambda p: p["sport"] == 4999 and p["dport"] == 1004,
               timeout=0.5)
    check(p is None, "a RST was answered")
    r.close()


def t_initial_sequence_numbers_are_unpredictable():
    r = Raw()
    lst = ttp_listener(4200, backlog=64)
    isns = []
    for i in range(16):
        r.send(segment(2000 + i, 4200, seq=100, flags=SYN))
        p = r.recv(lambda p, i=i: p["sport"] == 4200 and
                   p["dport"] == 2000 + i and p["flags"] & SYN)
        check(p is not None, "no SYN+ACK for port %d" % (2000 + i))
        isns.append(p["seq"])
        r.send(segment(2000 + i, 4200, seq=101, ack=(p["seq"] + 1) % 2**32,
                       flags=RST))
    deltas = {(b - a) % 2**32 for a, b in zip(isns, isns[1:])}
    check(len(set(isns)) == 16, "repeated ISNs: %s" % isns)
    # A counter or clock alone would give small, similar steps.
    check(len(deltas) == 15, "regular ISN steps: %s" % sorted(deltas))
    check(max(deltas) > 2**24, "ISNs close together: %s" % isns)
    lst.close()
    r.close()


def t_handshake_negotiates_smaller_mss():
    lst = ttp_listener(4300)
    lst.setsockopt(SOL_TTP, TTP_MAXSEG, 1000)
    c = ttp_connect(4300)
    check(ttp_info(c)["mss"] == 1000, "client mss %d" % ttp_info(c)["mss"])
    c.close()
    lst.close()


def t_checksum_negotiation_prefers_crc32c():
    lst = ttp_listener(4400)
    c = ttp_connect(4400)
    a = ttp_accept(lst)
    check(ttp_info(c)["csum"] == 1 and ttp_info(a)["csum"] == 1,
          "not CRC32C on both ends")
    for s in (a, c, lst):
        s.close()


def t_checksum_falls_back_when_peer_does_not_offer_crc32c():
    lst = ttp_listener(4500)
    c = socket.socket(FAMILY, socket.SOCK_STREAM, 0)
    c.setsockopt(SOL_TTP, TTP_CSUM_ALGO, 0)
    c = ttp_connect(4500, c)
    a = ttp_accept(lst)
    check(ttp_info(c)["csum"] == 0 and ttp_info(a)["csum"] == 0,
          "not the Internet checksum on both ends")
    c.sendall(b"x" * 100000)
    got = b""
    while len(got) < 100000:
        got += a.recv(65536)
    check(got == b"x" * 100000, "data differs")
    for s in (a, c, lst):
        s.close()


def t_syn_options_offer_mss_wscale_and_checksums():
    r = Raw()
    lst = ttp_listener(4600)
    s = socket.socket(FAMILY, socket.SOCK_STREAM | socket.SOCK_NONBLOCK, 0)
    a = ttp_addr(LO, 4600)
    libc.connect(s.fileno(), ctypes.byref(a), ctypes.sizeof(a))
    p = r.recv(lambda p: p["dport"] == 4600 and p["flags"] == SYN)
    check(p is not None, "SYN not seen")
    kinds = parse_options(p["options"])
    check(2 in kinds and 3 in kinds and 4 in kinds, "options %s" % kinds)
    check(kinds[4][0] == 3, "checksums offered %#x" % kinds[4][0])
    s.close()
    lst.close()
    r.close()


def send_spoofed(seg, src, dst=LO):
    """Send @seg from a source address that is not ours (IP_HDRINCL)."""
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(seg), 0, 0, 64,
                     PROTO, 0, socket.inet_aton(src), socket.inet_aton(dst))
    s.sendto(ip + seg, (dst, 0))
    s.close()


def sockets_in_state(state, port):
    n = 0
    for line in open("/proc/net/ttp").readlines()[1:]:
        f = line.split()
        if int(f[1].split(":")[1], 16) == port and int(f[3], 16) == state:
            n += 1
    return n


class sysctl:
    """with sysctl(name, value): net.ttp.name set for the block."""

    def __init__(self, name, value):
        self.path = "/proc/sys/net/ttp/" + name
        self.value = str(value)

    def __enter__(self):
        self.old = open(self.path).read()
        with open(self.path, "w") as f:
            f.write(self.value)

    def __exit__(self, *exc):
        with open(self.path, "w") as f:
            f.write(self.old)


def flood_syns(port, n, net="10.99.0"):
    """SYNs from n hosts that never answer (their SYN+ACKs go nowhere)."""
    for i in range(n):
        src = "%s.%d" % (net, i + 1)
        send_spoofed(segment(3000, port, seq=500, flags=SYN, src=src), src)


def t_half_open_connections_bounded_by_max_syn_backlog():
    """SYNs from hosts that never answer: at most max_syn_backlog wait.
    Without SYN cookies, later SYNs are dropped."""
    lst = ttp_listener(4700, backlog=64)
    os.system("ip route add blackhole 10.99.0.0/24")
    try:
        with sysctl("max_syn_backlog", 4), sysctl("syncookies", 0):
            before = stats()
            flood_syns(4700, 10)
            # Until each SYN is a half-open connection or a drop.
            wait_until(lambda: sockets_in_state(3, 4700) +
                       stats()["TtpListenDrops"] - before["TtpListenDrops"] >= 10)
            after = stats()
        drops = after["TtpListenDrops"] - before["TtpListenDrops"]
        cookies = after["TtpSynCookiesSent"] - before["TtpSynCookiesSent"]
        waiting = sockets_in_state(3, 4700)
        check(waiting == 4, "%d connections in SYN_RECV, not 4" % waiting)
        check(drops == 6, "TtpListenDrops grew by %d, not 6" % drops)
        check(cookies == 0, "%d SYN cookies sent while off" % cookies)
    finally:
        lst.close()
        os.system("ip route del blackhole 10.99.0.0/24")
    # Closing the listener resets and frees its half-open children.
    wait_until(lambda: sockets_in_state(3, 4700) == 0)
    check(sockets_in_state(3, 4700) == 0, "half-open children outlived "
          "their listener")


def echo_check(a, c, n=200000):
    """Data both ways between sockets a and c arrives intact."""
    data = os.urandom(n)
    c.sendall(data)
    got = b""
    while len(got) < n:
        chunk = a.recv(65536)
        check(chunk, "connection ended early")
        got += chunk
    check(got == data, "data differs one way")
    a.sendall(got[::-1])
    back = b""
    while len(back) < n:
        chunk = c.recv(65536)
        check(chunk, "connection ended early")
        back += chunk
    check(back == data[::-1], "data differs the other way")


def t_syn_cookies_answer_when_syn_queue_full():
    """With the SYN queue full of forged SYNs, the listener answers with
    cookies: no more half-open connections, and a real client gets in."""
    lst = ttp_listener(4710, backlog=64)
    os.system("ip route add blackhole 10.99.0.0/24")
    try:
        with sysctl("max_syn_backlog", 4):
            before = stats()
            flood_syns(4710, 10)
            # Until each SYN is a half-open connection or a cookie.
            wait_until(lambda: sockets_in_state(3, 4710) +
                       stats()["TtpSynCookiesSent"] - before["TtpSynCookiesSent"] >= 10)
            mid = stats()
            waiting = sockets_in_state(3, 4710)
            c = ttp_connect(4710)
            a = ttp_accept(lst)
            after = stats()
        d = {k: after[k] - before[k] for k in after}
        check(waiting == 4, "%d connections in SYN_RECV, not 4" % waiting)
        check(mid["TtpSynCookiesSent"] - before["TtpSynCookiesSent"] == 6,
              "%d cookies for 6 SYNs over the limit" %
              (mid["TtpSynCookiesSent"] - before["TtpSynCookiesSent"]))
        check(d["TtpListenDrops"] == 0, "%d SYNs dropped" % d["TtpListenDrops"])
        check(d["TtpSynCookiesSent"] == 7, "%d cookies sent, not 7" %
              d["TtpSynCookiesSent"])
        check(d["TtpSynCookiesRecv"] == 1, "%d cookies came back, not 1" %
              d["TtpSynCookiesRecv"])
        check(ttp_info(a)["options"] & TTPI_OPT_SYNCOOKIE,
              "the accepted connection does not say it came from a cookie")
        check(not ttp_info(c)["options"] & TTPI_OPT_SYNCOOKIE,
              "the client says it came from a cookie")
        echo_check(a, c)
        a.close()
        c.close()
    finally:
        lst.close()
        os.system("ip route del blackhole 10.99.0.0/24")


def cookie_syn(r, sport, dport, options, seq=1000):
    """Send a SYN from a raw socket, return the SYN+ACK."""
    r.send(segment(sport, dport, seq=seq, flags=SYN, options=options))
    p = r.recv(lambda p: p["sport"] == dport and p["dport"] == sport and
               p["flags"] & SYN)
    check(p is not None, "no SYN+ACK")
    check(p["ack"] == seq + 1, "SYN+ACK acknowledges %d" % p["ack"])
    return p


def t_syn_cookie_keeps_mss_wscale_checksum_and_sack():
    """A connection made from a cookie has what the SYN negotiated: the
    MSS rounded down to the cookie's table, the peer's window scale,
    CRC32C and SACK; the listener kept nothing between SYN and ACK."""
    r = Raw()
    lst = ttp_listener(4720)
    try:
        with sysctl("syncookies", 2):
            before = stats()
            # MSS 1500, WSCALE 5, CSUM both, SACK_OK
            opts = b"\x02\x04\x05\xdc" + b"\x03\x03\x05" + b"\x04\x03\x03" + \
                b"\x05\x02"
            p = cookie_syn(r, 5001, 4720, opts)
            k = parse_options(p["options"])
            check(k.get(4) == b"\x02", "SYN+ACK chose checksum %s" % k.get(4))
            check(3 in k and 2 in k and 5 in k, "SYN+ACK options %s" % k)
            check(sockets_in_state(3, 4720) == 0,
                  "a connection waits in SYN_RECV: the cookie kept state")
            r.send(segment(5001, 4720, seq=1001, ack=(p["seq"] + 1) % 2**32,
                           flags=ACK | CRC, window=100))
            a = ttp_accept(lst)
            i = ttp_info(a)
            after = stats()
        check(i["options"] & TTPI_OPT_SYNCOOKIE, "not from a cookie")
        check(i["mss"] == 1460, "mss %d, not 1460 (1500 rounded down)" %
              i["mss"])
        check(i["snd_wscale"] == 5, "peer's window scale %d, not 5" %
              i["snd_wscale"])
        check(i["csum"] == 1, "checksum %d, not CRC32C" % i["csum"])
        check(i["options"] & TTPI_OPT_SACK, "SACK not agreed")
        check(after["TtpSynCookiesSent"] - before["TtpSynCookiesSent"] == 1,
              "cookies sent")
        check(after["TtpSynCookiesRecv"] - before["TtpSynCookiesRecv"] == 1,
              "cookies received")
        # Data from the raw client, with CRC32C, reaches the application.
        r.send(segment(5001, 4720, seq=1001, ack=(p["seq"] + 1) % 2**32,
                       flags=ACK | PSH | CRC, window=100, payload=b"hello"))
        a.settimeout(5)
        check(a.recv(100) == b"hello", "data after the cookie ACK lost")
        a.close()
    finally:
        lst.close()
        r.close()


def t_syn_cookie_without_options_takes_defaults():
    """A SYN with no options: cookie MSS 536, no window scaling, the
    Internet checksum, no SACK."""
    r = Raw()
    lst = ttp_listener(4730)
    try:
        with sysctl("syncookies", 2):
            p = cookie_syn(r, 5002, 4730, b"")
            k = parse_options(p["options"])
            check(3 not in k, "SYN+ACK scales without a WSCALE in the SYN")
            check(5 not in k, "SYN+ACK has SACK_OK without one in the SYN")
            check(k.get(4) == b"\x01", "SYN+ACK chose checksum %s" % k.get(4))
            r.send(segment(5002, 4730, seq=1001, ack=(p["seq"] + 1) % 2**32,
                           flags=ACK))
            a = ttp_accept(lst)
        i = ttp_info(a)
        check(i["mss"] == 536 and i["snd_wscale"] == 0 and i["csum"] == 0 and
              not i["options"] & (TTPI_OPT_WSCALE | TTPI_OPT_SACK),
              "negotiated %s" % i)
        a.close()
    finally:
        lst.close()
        r.close()


def t_forged_cookie_acks_are_refused_and_counted():
    """ACKs that do not acknowledge a cookie of ours get a RST and create
    nothing: a wrong number, a wrong port, or Internet checksum on a cookie
    that chose CRC32C (dropped silently)."""
    r = Raw()
    lst = ttp_listener(4740)
    lst.setblocking(False)
    try:
        with sysctl("syncookies", 2):
            opts = b"\x02\x04\x05\xb4\x04\x03\x03\x01"
            p = cookie_syn(r, 5003, 4740, opts)
            before = stats()
            bad = [(5003, 1001, p["seq"] + 2), (5003, 1001, p["seq"] ^ 1 << 24),
                   (5003, 1002, p["seq"] + 1), (5004, 1001, p["seq"] + 1)]
            for sport, seq, ack in bad:
                r.send(segment(sport, 4740, seq=seq, ack=ack % 2**32,
                               flags=ACK | CRC))
                q = r.recv(lambda q, sport=sport: q["dport"] == sport and
                           q["flags"] & RST)
                check(q is not None, "no RST for a forged cookie ACK")
                check(q["seq"] == ack % 2**32, "RST seq %d" % q["seq"])
            # The right number without CRC32C: dropped, no reply.
            r.send(segment(5003, 4740, seq=1001, ack=(p["seq"] + 1) % 2**32,
                           flags=ACK))
            q = r.recv(lambda q: q["dport"] == 5003, timeout=0.5)
            check(q is None, "a cookie ACK with the wrong checksum answered")
            # Data with a wrong cookie (a later segment of a client whose
            # first was lost?): dropped without a RST.
            r.send(segment(5003, 4740, seq=2001, ack=(p["seq"] + 1) % 2**32,
                           flags=ACK | PSH | CRC, payload=b"x" * 100))
            q = r.recv(lambda q: q["dport"] == 5003, timeout=0.5)
            check(q is None, "data with a bad cookie was answered")
            after = stats()
        d = {k: after[k] - before[k] for k in after}
        check(d["TtpSynCookiesFailed"] == 5, "TtpSynCookiesFailed +%d, not 5"
              % d["TtpSynCookiesFailed"])
        check(d["TtpInCsumErrors"] == 1, "TtpInCsumErrors +%d, not 1" %
              d["TtpInCsumErrors"])
        check(d["TtpSynCookiesRecv"] == 0, "a forged cookie was taken")
        try:
            ttp_accept(lst)
            check(False, "a connection was made from a forged cookie")
        except OSError as e:
            check(e.errno == errno.EAGAIN, "accept: %s" % e)
    finally:
        lst.close()
        r.close()


def t_cookie_ack_waits_for_room_in_accept_queue():
    """A cookie ACK that finds the accept queue full is dropped; the
    client's first segment, sent again once accept() made room, opens the
    connection and its data is taken."""
    r = Raw()
    lst = ttp_listener(4760, backlog=0)     # room for one
    try:
        with sysctl("syncookies", 2):
            p = cookie_syn(r, 5006, 4760, b"")
            first = ttp_connect(4760)        # fills the accept queue
            before = stats()
            ack = (p["seq"] + 1) % 2**32
            r.send(segment(5006, 4760, seq=1001, ack=ack,
                           flags=ACK | PSH, payload=b"early"))
            q = r.recv(lambda q: q["dport"] == 5006, timeout=0.5)
            check(q is None, "a cookie ACK with no room was answered")
            mid = stats()
            check(mid["TtpListenOverflows"] == before["TtpListenOverflows"] + 1,
                  "TtpListenOverflows did not count the ACK")
            check(mid["TtpSynCookiesRecv"] == before["TtpSynCookiesRecv"],
                  "a connection was made with no room for it")
            ttp_accept(lst).close()
            first.close()
            r.send(segment(5006, 4760, seq=1001, ack=ack,
                           flags=ACK | PSH, payload=b"early"))
            # The new connection acknowledges the data.  (Then our own
            # stack, which has no socket on port 5006, resets it.)
            q = r.recv(lambda q: q["sport"] == 4760 and q["dport"] == 5006 and
                       q["flags"] & ACK and not q["flags"] & RST)
            after = stats()
        check(q is not None, "the first segment, sent again, got no ACK")
        check(q["ack"] == 1006 and q["seq"] == ack,
              "ACK %d seq %d, not 1006 and %d" % (q["ack"], q["seq"], ack))
        check(after["TtpSynCookiesRecv"] == mid["TtpSynCookiesRecv"] + 1,
              "the connection did not come from the cookie")
    finally:
        lst.close()
        r.close()


def t_cookie_acks_not_checked_when_no_cookie_was_sent():
    """A listener that sent no cookie answers any ACK with a RST, without
    even checking it (TtpSynCookiesFailed stays)."""
    r = Raw()
    lst = ttp_listener(4750)
    try:
        before = stats()
        r.send(segment(5005, 4750, seq=1, ack=12345, flags=ACK))
        q = r.recv(lambda q: q["dport"] == 5005 and q["flags"] & RST)
        check(q is not None and q["seq"] == 12345, "no RST at 12345")
        after = stats()
        check(after["TtpSynCookiesFailed"] == before["TtpSynCookiesFailed"],
              "a cookie was checked")
        # The ACK, and our RST, which loopback delivers to TTP too.
        check(after["TtpInNoPorts"] == before["TtpInNoPorts"] + 2,
              "TtpInNoPorts +%d, not 2" %
              (after["TtpInNoPorts"] - before["TtpInNoPorts"]))
    finally:
        lst.close()
        r.close()


TTPI_OPT_TIMESTAMPS = 0x20


def ts_opt(tsval, tsecr):
    """A timestamp option as TTP sends it after the SYN: NOP NOP TS."""
    return b"\x01\x01\x08\x0a" + struct.pack("!II", tsval, tsecr)


def ts_of(p):
    """(TSval, TSecr) of a parsed segment, or None."""
    v = parse_options(p["options"]).get(8)
    return struct.unpack("!II", v) if v is not None and len(v) == 8 else None


def ttp_info_ts(s):
    """The fields of struct ttp_info that timestamps concern."""
    b = s.getsockopt(SOL_TTP, TTP_INFO, 100)
    check(len(b) >= 100, "struct ttp_info of %d bytes" % len(b))
    mss, opts = struct.unpack_from("=HH", b, 4)
    snd_mss, ts_recent, samples, paws = struct.unpack_from("=IIII", b, 84)
    return dict(mss=mss, options=opts, snd_mss=snd_mss, ts_recent=ts_recent,
                ts_rtt_samples=samples, paws_drops=paws)


def drain(r, port):
    """Every segment to or from @port that the raw socket holds now."""
    segs = []
    while select.select([r.s], [], [], 0)[0]:
        pkt = r.s.recv(65535)
        p = parse(pkt[(pkt[0] & 15) * 4:])
        if port in (p["sport"], p["dport"]):
            segs.append(p)
    return segs


def wait_counter(name, base, n=1):
    """Wait (5 s at most) for counter @name to reach @base + @n."""
    end = time.time() + 5
    while stats()[name] < base + n and time.time() < end:
        time.sleep(0.01)
    check(stats()[name] >= base + n, "%s went from %d to %d, not +%d" %
          (name, base, stats()[name], n))


def t_timestamps_negotiated_and_carried_by_every_segment():
    """Two TTP sockets agree on timestamps: the SYN offers them (TSecr 0),
    the SYN+ACK echoes the SYN's TSval, every later segment carries them,
    and a full segment's payload is the MSS less their 12 bytes."""
    r = Raw()
    lst = ttp_listener(4800)
    try:
        c = ttp_connect(4800)
        a = ttp_accept(lst)
        c.sendall(b"y" * 5000)
        got = b""
        a.settimeout(5)
        while len(got) < 5000:
            got += a.recv(65536)
        check(got == b"y" * 5000, "data differs")
        segs = drain(r, 4800)
        syn = [p for p in segs if p["flags"] == SYN]
        synack = [p for p in segs if p["flags"] == SYN | ACK]
        rest = [p for p in segs if not p["flags"] & SYN]
        check(syn and synack and rest, "%d segments seen" % len(segs))
        check(ts_of(syn[0]) is not None and ts_of(syn[0])[1] == 0,
              "SYN timestamps %s" % (ts_of(syn[0]),))
        check(ts_of(synack[0]) is not None and
              ts_of(synack[0])[1] == ts_of(syn[0])[0],
              "SYN+ACK timestamps %s" % (ts_of(synack[0]),))
        for p in rest:
            check(ts_of(p) is not None,
                  "a segment (flags %#x) without timestamps" % p["flags"])
        for s in (c, a):
            i = ttp_info_ts(s)
            check(i["options"] & TTPI_OPT_TIMESTAMPS, "timestamps not agreed")
            check(i["snd_mss"] == i["mss"] - 12,
                  "snd_mss %d for an MSS of %d" % (i["snd_mss"], i["mss"]))
        c.close()
        a.close()
    finally:
        lst.close()
        r.close()


def t_timestamps_off_when_one_side_does_not_offer_them():
    """A listener made while net.ttp.timestamps is 0 does not answer the
    option: neither side uses it, and no segment after the SYN has it."""
    r = Raw()
    with sysctl("timestamps", 0):
        lst = ttp_listener(4801)
    try:
        c = ttp_connect(4801)
        a = ttp_accept(lst)
        c.sendall(b"z" * 3000)
        a.settimeout(5)
        got = b""
        while len(got) < 3000:
            got += a.recv(65536)
        segs = drain(r, 4801)
        syn = [p for p in segs if p["flags"] == SYN]
        check(syn and ts_of(syn[0]) is not None, "the client did not offer")
        for p in segs:
            if p["flags"] != SYN:
                check(ts_of(p) is None, "timestamps in a segment (flags %#x)"
                      % p["flags"])
        for s in (c, a):
            i = ttp_info_ts(s)
            check(not i["options"] & TTPI_OPT_TIMESTAMPS, "timestamps on")
            check(i["snd_mss"] == i["mss"], "snd_mss %d, mss %d" %
                  (i["snd_mss"], i["mss"]))
        c.close()
        a.close()
    finally:
        lst.close()
        r.close()


def last_data(r, sport, dport):
    """The last segment with data from @sport to @dport the raw socket
    holds now: (parsed, payload length)."""
    last = None
    while select.select([r.s], [], [], 0)[0]:
        pkt = r.s.recv(65535)
        seg = pkt[(pkt[0] & 15) * 4:]
        p = parse(seg)
        n = len(seg) - p["doff"] * 4
        if sport in (None, p["sport"]) and p["dport"] == dport and n:
            last = (p, n)
    return last


def t_paws_drops_old_timestamps_and_judges_segments_without_one_by_sequence():
    """On a connection with timestamps, a segment with data at exactly the
    next sequence number but a TSval older than the last one echoed is an
    old duplicate (PAWS): dropped and counted, while the peer's own data
    that follows is delivered.  A segment without the option is judged by
    its sequence number alone, and does not become the TSval echoed."""
    r = Raw()
    lst = ttp_listener(4810)
    try:
        c = ttp_connect(4810)
        a = ttp_accept(lst)
        a.settimeout(5)
        c.sendall(b"abc")
        check(a.recv(100) == b"abc", "data lost")
        seen = last_data(r, None, 4810)
        check(seen is not None, "the client's segment not seen")
        p, n = seen
        cport = p["sport"]
        nxt = (p["seq"] + n) % 2**32
        tsval, tsecr = ts_of(p)
        recent = ttp_info_ts(a)["ts_recent"]
        check(recent == tsval, "ts_recent %d, not the TSval %d of the data" %
              (recent, tsval))

        def forge(payload, ts):
            r.send(segment(cport, 4810, seq=nxt, ack=p["ack"],
                           flags=ACK | PSH | CRC, window=p["window"],
                           options=ts_opt(*ts) if ts else b"",
                           payload=payload))

        before = stats()["TtpPAWSDrops"]
        forge(b"old", ((tsval - 1000) % 2**32, tsecr))
        wait_counter("TtpPAWSDrops", before)
        check(ttp_info_ts(a)["paws_drops"] == 1, "ttpi_paws_drops %d, not 1"
              % ttp_info_ts(a)["paws_drops"])
        c.sendall(b"new")
        got = a.recv(100)
        check(got == b"new", "received %r after an old duplicate" % got)
        seen = last_data(r, cport, 4810)
        check(seen is not None, "the client's second segment not seen")
        p, n = seen
        nxt = (p["seq"] + n) % 2**32
        recent = ttp_info_ts(a)["ts_recent"]
        forge(b"xyz", None)
        got = a.recv(100)
        check(got == b"xyz", "data without timestamps: received %r" % got)
        check(ttp_info_ts(a)["ts_recent"] == recent,
              "a segment without timestamps set ts_recent")
        # The forged bytes put the two ends out of step: abort both (a
        # graceful close would retransmit FINs for minutes, and hold the
        # module).
        for s in (a, c):
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                         struct.pack("ii", 1, 0))
            s.close()
    finally:
        lst.close()
        r.close()


# ---- ICMP errors (module/icmp.c) ----
#
# A connection in SYN_SENT toward 192.0.2.2, a host on a veth link that
# takes its SYNs and never answers (its end has no address), and ICMP
# errors about it forged with a raw socket, as a router on the way could
# send them.

ICMP_UNREACH, ICMP_PARAMPROB = 3, 12
UNREACH_HOST, UNREACH_PROTO = 1, 2
VETH_A, FAR, NEAR = "ttpicmp-a", "192.0.2.2", "192.0.2.1"
ENOPROTOOPT, EHOSTUNREACH = 92, 113


def inet_csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


class silent_peer:
    """with silent_peer() as peer: the link to FAR; peer.sniff(port) is
    the IP packet of the first TTP segment sent to FAR:port."""

    def __enter__(self):
        self.ns = "ttp-icmp-%d" % os.getpid()
        cmds = ["ip netns add %s" % self.ns,
                "ip link add %s type veth peer name ttpicmp-b netns %s" %
                (VETH_A, self.ns),
                "ip addr add %s/24 dev %s" % (NEAR, VETH_A),
                "ip link set %s up" % VETH_A,
                "ip -n %s link set ttpicmp-b up" % self.ns,
                # No ARP: FAR's end would not answer it.
                "ip neigh replace %s lladdr 02:00:00:00:00:02 dev %s "
                "nud permanent" % (FAR, VETH_A)]
        for c in cmds:
            if os.system(c):
                self.__exit__()
                raise Fail("%s failed" % c)
        # ETH_P_ALL: only such taps see what the host sends.
        self.pkt = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM,
                                 socket.htons(3))
        self.pkt.bind((VETH_A, 3))
        return self

    def sniff(self, port, timeout=30):
        end = time.time() + timeout
        self.port = port
        while time.time() < end:
            r, _, _ = select.select([self.pkt], [], [], end - time.time())
            if not r:
                break
            ip = self.pkt.recv(65535)
            ihl = (ip[0] & 15) * 4
            if ip[0] >> 4 == 4 and ip[9] == PROTO and \
               parse(ip[ihl:])["dport"] == port:
                return ip
        raise Fail("no segment to %s:%d seen" % (FAR, port))

    def more(self, match=lambda p: True):
        """How many more segments to the port of the last sniff(), for
        which match(parsed) holds, the host has sent so far."""
        n = 0
        while select.select([self.pkt], [], [], 0)[0]:
            ip = self.pkt.recv(65535)
            ihl = (ip[0] & 15) * 4
            if ip[0] >> 4 != 4 or ip[9] != PROTO:
                continue
            p = parse(ip[ihl:])
            if p["dport"] == self.port and match(p):
                n += 1
        return n

    def __exit__(self, *exc):
        if hasattr(self, "pkt"):
            self.pkt.close()
        os.system("ip link del %s 2>/dev/null" % VETH_A)
        os.system("ip netns del %s 2>/dev/null" % self.ns)


def forge_icmp(quoted, typ, code, rest=0, seq_delta=0):
    """An ICMP error from FAR to NEAR quoting the IP header and first 8
    bytes of @quoted, its sequence number moved by @seq_delta."""
    ihl = (quoted[0] & 15) * 4
    q = bytearray(quoted[:ihl + 8])
    seq = (struct.unpack("!I", q[ihl + 4:ihl + 8])[0] + seq_delta) % 2**32
    q[ihl + 4:ihl + 8] = struct.pack("!I", seq)
    icmp = struct.pack("!BBHI", typ, code, 0, rest) + bytes(q)
    icmp = icmp[:2] + struct.pack("!H", inet_csum(icmp)) + icmp[4:]
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(icmp), 0, 0, 64,
                     socket.IPPROTO_ICMP, 0, socket.inet_aton(FAR),
                     socket.inet_aton(NEAR))
    s.sendto(ip + icmp, (NEAR, 0))
    s.close()


def connect_far(port):
    """A non-blocking connect() to FAR:port, left in SYN_SENT."""
    s = socket.socket(FAMILY, socket.SOCK_STREAM, 0)
    s.setblocking(False)
    a = ttp_addr(FAR, port)
    rc = libc.connect(s.fileno(), ctypes.byref(a), ctypes.sizeof(a))
    check(rc < 0 and ctypes.get_errno() == errno.EINPROGRESS,
          "connect() returned %d, errno %d" % (rc, ctypes.get_errno()))
    return s


def so_error(s):
    return s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)


def connect_ended(s, secs):
    """Whether the connect() on @s ended within @secs."""
    p = select.poll()
    p.register(s, select.POLLOUT)
    return bool(p.poll(secs * 1000))


def t_icmp_protocol_unreachable_ends_connect_at_once():
    # With an initial RTO of 30 s, an error that did not end it would
    # leave the SYN to go again (TtpRetransSegs) before connect() ended.
    with silent_peer() as peer, sysctl("rto_initial_ms", 30000):
        before = stats()
        s = connect_far(7101)
        syn = peer.sniff(7101)
        forge_icmp(syn, ICMP_UNREACH, UNREACH_PROTO)
        check(connect_ended(s, 120), "connect() still waits")
        check(so_error(s) == ENOPROTOOPT,
              "SO_ERROR %d, not ENOPROTOOPT" % so_error(s))
        check(peer.more() == 0,
              "the SYN went again: the error did not end connect()")
        after = stats()
        for name in ("TtpInIcmpErrors", "TtpAttemptFails"):
            check(after[name] > before[name], "%s did not move" % name)
        s.close()


def t_icmp_not_quoting_a_sequence_number_in_flight_is_ignored():
    with silent_peer() as peer, sysctl("rto_initial_ms", 30000):
        s = connect_far(7102)
        syn = peer.sniff(7102)
        before = stats()
        # A blind attacker's guesses (RFC 5927): past snd_nxt (ISS + 1),
        # well past, and before the ISS.
        for delta in (2, 1 << 20, -1):
            forge_icmp(syn, ICMP_UNREACH, UNREACH_PROTO, seq_delta=delta)
        check(wait_until(lambda: stats()["TtpInIcmpOutOfWindow"] >=
                         before["TtpInIcmpOutOfWindow"] + 3, 30),
              "TtpInIcmpOutOfWindow did not count the three")
        check(not connect_ended(s, 0) and so_error(s) == 0,
              "the connection took an error it should not have")
        check(ttp_info(s)["state"] == 2, "not in SYN_SENT any more")
        # The one that does quote it still works.
        forge_icmp(syn, ICMP_PARAMPROB, 0)
        check(connect_ended(s, 120), "parameter problem did not end it")
        check(so_error(s) == errno.EPROTO, "SO_ERROR not EPROTO")
        s.close()


def t_icmp_host_unreachable_is_reported_when_connect_times_out():
    with silent_peer() as peer, sysctl("syn_retries", 1):
        s = connect_far(7103)
        syn = peer.sniff(7103)
        before = stats()["TtpInIcmpErrors"]
        forge_icmp(syn, ICMP_UNREACH, UNREACH_HOST)
        check(wait_until(lambda: stats()["TtpInIcmpErrors"] > before, 30),
              "not counted")
        # A soft error: the connection goes on trying (the SYN again).
        check(not connect_ended(s, 0), "a soft error ended connect()")
        check(connect_ended(s, 120), "connect() did not time out")
        check(so_error(s) == EHOSTUNREACH,
              "SO_ERROR %d, not EHOSTUNREACH" % so_error(s))
        s.close()


# ---- keepalive (SO_KEEPALIVE; module/timer.c) ----

TTP_KEEPIDLE, TTP_KEEPINTVL, TTP_KEEPCNT = 9, 10, 11


# ---- simultaneous open (protocol.rst, "Simultaneous open") ----

# MSS 1000, WSCALE 3, CSUM both, SACK_OK, and timestamps: what the peer's
# SYN offers, and its SYN+ACK names.
PEER_OPTS = b"\x02\x04\x03\xe8" + b"\x03\x03\x03" + b"\x04\x03\x03" + \
    b"\x05\x02" + b"\x01\x01\x08\x0a" + struct.pack("!II", 777, 0)
PEER_ISN = 5000
# The same, as a SYN+ACK names them: one checksum, CRC32C.
PEER_SYNACK_OPTS = PEER_OPTS.replace(b"\x04\x03\x03", b"\x04\x03\x02")


def from_far(port, sport, **kw):
    """A segment from FAR:port to our NEAR:sport, as FAR would send it."""
    send_spoofed(segment(port, sport, src=FAR, dst=NEAR, **kw), FAR, NEAR)


def syn_sent_to_far(peer, port):
    """A socket in SYN_SENT to FAR:port, offering CRC32C; it, and its
    SYN as FAR sees it."""
    s = connect_far(port)
    ip = peer.sniff(port)
    syn = parse(ip[(ip[0] & 15) * 4:])
    check(syn["flags"] == SYN, "first segment flags %#x" % syn["flags"])
    return s, syn


def abort(s):
    """Close @s with a RST: a FIN to a peer that never answers would keep
    the socket, and ttp.ko, busy for minutes."""
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()


def sniff_parsed(peer, port):
    ip = peer.sniff(port, timeout=10)
    return parse(ip[(ip[0] & 15) * 4:])


def info_snd_wnd(s):
    return struct.unpack_from("=I", s.getsockopt(SOL_TTP, TTP_INFO, 32), 28)[0]


def t_simultaneous_open_answers_a_syn_in_syn_sent_and_agrees_on_options():
    """A SYN without ACK for a socket in SYN_SENT is the peer's own
    connect(): SYN_RECV, and our SYN again as a SYN+ACK that acknowledges
    it and names what was chosen from both offers; the peer's SYN+ACK then
    opens the connection, which carries data both ways."""
    with silent_peer() as peer, sysctl("rto_initial_ms", 30000):
        before = stats()
        s, syn = syn_sent_to_far(peer, 7201)
        sport, iss = syn["sport"], syn["seq"]
        from_far(7201, sport, seq=PEER_ISN, flags=SYN, window=4000,
                 options=PEER_OPTS)
        sa = sniff_parsed(peer, 7201)
        check(sa["flags"] == SYN | ACK, "answer flags %#x" % sa["flags"])
        check(sa["seq"] == iss and sa["ack"] == PEER_ISN + 1,
              "SYN+ACK seq %d ack %d" % (sa["seq"], sa["ack"]))
        k = parse_options(sa["options"])
        check(k.get(4) == b"\x02", "SYN+ACK chose checksum %s" % k.get(4))
        check(2 in k and 3 in k and 5 in k, "SYN+ACK options %s" % k)
        check(ts_of(sa) is not None and ts_of(sa)[1] == 777,
              "SYN+ACK timestamps %s" % (ts_of(sa),))
        check(ttp_info(s)["state"] == 3, "state %d, not SYN_RECV" %
              ttp_info(s)["state"])
        # The peer's SYN+ACK, which crossed ours.
        from_far(7201, sport, seq=PEER_ISN, ack=(iss + 1) % 2**32,
                 flags=SYN | ACK, window=4000, options=PEER_SYNACK_OPTS)
        check(connect_ended(s, 10), "connect() still waits")
        check(so_error(s) == 0, "SO_ERROR %d" % so_error(s))
        i = ttp_info(s)
        check(i["state"] == 1, "state %d, not ESTABLISHED" % i["state"])
        check(i["csum"] == 1, "checksum %d, not CRC32C" % i["csum"])
        check(i["mss"] == 1000, "mss %d, not the peer's 1000" % i["mss"])
        check(i["snd_wscale"] == 3, "peer's window scale %d" % i["snd_wscale"])
        check(i["options"] & TTPI_OPT_SACK and
              i["options"] & TTPI_OPT_TIMESTAMPS, "options %#x" % i["options"])
        check(info_snd_wnd(s) == 4000,
              "peer's window %d: a SYN's is not scaled" % info_snd_wnd(s))
        s.setblocking(True)
        s.send(b"hello")
        d = sniff_parsed(peer, 7201)
        while not d["payload"]:
            d = sniff_parsed(peer, 7201)
        check(d["payload"] == b"hello" and d["flags"] & CRC and
              d["seq"] == (iss + 1) % 2**32 and d["ack"] == PEER_ISN + 1,
              "data segment %s" % d)
        from_far(7201, sport, seq=PEER_ISN + 1, ack=(iss + 6) % 2**32,
                 flags=ACK | PSH | CRC, window=4000,
                 options=ts_opt(778, ts_of(d)[0]), payload=b"world")
        s.settimeout(5)
        check(s.recv(100) == b"world", "the peer's data lost")
        after = stats()
        check(after["TtpRetransSegs"] == before["TtpRetransSegs"],
              "the SYN+ACK was counted as a retransmission")
        check(after["TtpActiveOpens"] - before["TtpActiveOpens"] == 1 and
              after["TtpPassiveOpens"] == before["TtpPassiveOpens"],
              "opens counted wrong")
        abort(s)


def t_syn_sent_takes_no_syn_of_another_port_address_or_with_rst():
    """Only a SYN for the socket's 4-tuple makes a simultaneous open: one
    from another port or address finds no socket and gets a RST, one with
    RST or an ACK not of our SYN changes nothing.  In SYN_RECV, an ACK not
    of our SYN gets a RST and the connection waits on."""
    with silent_peer() as peer, sysctl("rto_initial_ms", 30000):
        s, syn = syn_sent_to_far(peer, 7202)
        sport, iss = syn["sport"], syn["seq"]
        from_far(7203, sport, seq=PEER_ISN, flags=SYN)
        rst = sniff_parsed(peer, 7203)
        check(rst["flags"] == RST | ACK and rst["ack"] == PEER_ISN + 1,
              "a SYN from another port answered %s" % rst)
        other = "192.0.2.3"
        send_spoofed(segment(7202, sport, seq=PEER_ISN, flags=SYN, src=other,
                             dst=NEAR), other, NEAR)
        from_far(7202, sport, seq=PEER_ISN, flags=SYN | RST)
        # An ACK not of our SYN: a RST at its ACK.
        from_far(7202, sport, seq=PEER_ISN, ack=(iss + 7) % 2**32,
                 flags=SYN | ACK)
        rst = sniff_parsed(peer, 7202)
        check(rst["flags"] == RST and rst["seq"] == (iss + 7) % 2**32,
              "a SYN+ACK of the wrong ISN answered %s" % rst)
        check(ttp_info(s)["state"] == 2, "state %d, not SYN_SENT" %
              ttp_info(s)["state"])
        check(peer.more() == 0, "more was sent to the peer")
        # The right SYN at last.
        from_far(7202, sport, seq=PEER_ISN, flags=SYN)
        sa = sniff_parsed(peer, 7202)
        check(sa["flags"] == SYN | ACK and sa["ack"] == PEER_ISN + 1,
              "answer %s" % sa)
        from_far(7202, sport, seq=PEER_ISN, ack=(iss + 9) % 2**32,
                 flags=SYN | ACK)
        rst = sniff_parsed(peer, 7202)
        check(rst["flags"] == RST and rst["seq"] == (iss + 9) % 2**32,
              "in SYN_RECV, a SYN+ACK of the wrong ISN answered %s" % rst)
        check(ttp_info(s)["state"] == 3, "state %d, not SYN_RECV" %
              ttp_info(s)["state"])
        # A SYN of another ISN in the window: a challenge ACK (RFC 5961).
        from_far(7202, sport, seq=PEER_ISN + 100, flags=SYN)
        ch = sniff_parsed(peer, 7202)
        check(ch["flags"] & ACK and not ch["flags"] & (SYN | RST) and
              ch["ack"] == PEER_ISN + 1, "answer to a second SYN %s" % ch)
        check(ttp_info(s)["state"] == 3, "state %d, not SYN_RECV" %
              ttp_info(s)["state"])
        # A RST at rcv_nxt: refused.
        from_far(7202, sport, seq=PEER_ISN + 1, flags=RST)
        check(connect_ended(s, 10), "connect() still waits")
        check(so_error(s) == errno.ECONNREFUSED,
              "SO_ERROR %d, not ECONNREFUSED" % so_error(s))
        abort(s)


def t_forged_syn_in_syn_sent_does_not_stop_the_peers_synack():
    """A SYN forged for the 4-tuple of a connection being opened takes it
    to SYN_RECV; the SYN+ACK of the real peer, which alone knows our ISN,
    still opens the connection, in its sequence space."""
    with silent_peer() as peer, sysctl("rto_initial_ms", 30000):
        s, syn = syn_sent_to_far(peer, 7204)
        sport, iss = syn["sport"], syn["seq"]
        from_far(7204, sport, seq=123456, flags=SYN)
        sa = sniff_parsed(peer, 7204)
        check(sa["flags"] == SYN | ACK and sa["ack"] == 123457,
              "answer to the forged SYN %s" % sa)
        from_far(7204, sport, seq=PEER_ISN, ack=(iss + 1) % 2**32,
                 flags=SYN | ACK, window=4000, options=PEER_SYNACK_OPTS)
        check(connect_ended(s, 10), "connect() still waits")
        check(so_error(s) == 0, "SO_ERROR %d" % so_error(s))
        # Negotiated from the real SYN+ACK, against what our SYN offered:
        # the forged SYN, which offered nothing, left nothing behind.
        i = ttp_info(s)
        offered = parse_options(syn["options"])[3][0]
        check(i["state"] == 1, "state %d, not ESTABLISHED" % i["state"])
        check(i["rcv_wscale"] == offered and i["snd_wscale"] == 3,
              "window scales %d and %d, not %d and 3" %
              (i["rcv_wscale"], i["snd_wscale"], offered))
        check(i["csum"] == 1 and i["mss"] == 1000,
              "checksum %d, mss %d" % (i["csum"], i["mss"]))
        ack = sniff_parsed(peer, 7204)
        check(ack["flags"] & ACK and not ack["flags"] & SYN and
              ack["ack"] == PEER_ISN + 1, "the handshake's ACK %s" % ack)
        abort(s)


def keepalive(s, idle, intvl, cnt):
    s.setsockopt(SOL_TTP, TTP_KEEPIDLE, idle)
    s.setsockopt(SOL_TTP, TTP_KEEPINTVL, intvl)
    s.setsockopt(SOL_TTP, TTP_KEEPCNT, cnt)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)


def t_keepalive_options_default_to_the_sysctls_and_check_ranges():
    s = socket.socket(FAMILY, socket.SOCK_STREAM, 0)
    with sysctl("keepalive_time_ms", 600000), \
            sysctl("keepalive_intvl_ms", 20000), \
            sysctl("keepalive_probes", 4):
        got = [s.getsockopt(SOL_TTP, o)
               for o in (TTP_KEEPIDLE, TTP_KEEPINTVL, TTP_KEEPCNT)]
        check(got == [600, 20, 4], "defaults %s, not the sysctls'" % got)
    for opt, bad in ((TTP_KEEPIDLE, (0, -1, 32768)),
                     (TTP_KEEPINTVL, (0, 32768)), (TTP_KEEPCNT, (0, 128))):
        for v in bad:
            try:
                s.setsockopt(SOL_TTP, opt, v)
                raise Fail("option %d took %d" % (opt, v))
            except OSError as e:
                check(e.errno == errno.EINVAL, "option %d, %d: %s" %
                      (opt, v, e))
    keepalive(s, 32767, 32767, 127)
    got = [s.getsockopt(SOL_TTP, o)
           for o in (TTP_KEEPIDLE, TTP_KEEPINTVL, TTP_KEEPCNT)]
    check(got == [32767, 32767, 127], "read back %s" % got)
    s.close()


def t_keepalive_probes_a_live_peer_which_answers():
    """Idle 1 s, a probe a second, 2 without an answer would end it: the
    peer answers each, and after more probes than that the connection
    is still there.  A probe is one byte the peer already has, at its
    ACK less one: its answer acknowledges the same."""
    r = Raw()
    lst = ttp_listener(4740)
    c = ttp_connect(4740)
    a = ttp_accept(lst)
    try:
        before = stats()["TtpKeepAliveProbes"]
        keepalive(c, 1, 1, 2)
        check(wait_until(lambda: stats()["TtpKeepAliveProbes"] >= before + 4,
                         120), "fewer than 4 probes")
        check(ttp_info(c)["state"] == 1, "the connection ended")
        probe = r.recv(lambda p: p["dport"] == 4740 and
                       p["flags"] & ~CRC == ACK and len(p["payload"]) == 1)
        check(probe is not None, "no probe seen")
        answer = r.recv(lambda p: p["sport"] == 4740 and p["flags"] & ACK)
        check(answer is not None and answer["ack"] == (probe["seq"] + 1) %
              2**32, "probe %s, answer %s" % (probe, answer))
        echo_check(a, c, 1000)
    finally:
        c.close()
        a.close()
        lst.close()
        r.close()


def t_keepalive_ends_a_connection_to_a_silent_peer():
    """A connection to FAR, its handshake answered by a SYN+ACK forged
    here, then nothing: idle 1 s, 2 probes 1 s apart, both seen on the
    link, then ETIMEDOUT."""
    with silent_peer() as peer:
        before = stats()
        s = connect_far(7104)
        syn = peer.sniff(7104)
        ihl = (syn[0] & 15) * 4
        p = parse(syn[ihl:])
        send_spoofed(segment(7104, p["sport"], seq=5000,
                             ack=(p["seq"] + 1) % 2**32, flags=SYN | ACK,
                             src=FAR, dst=NEAR), FAR, NEAR)
        check(connect_ended(s, 120) and so_error(s) == 0,
              "the forged SYN+ACK did not open it")
        keepalive(s, 1, 1, 2)
        pl = select.poll()
        pl.register(s, select.POLLIN)
        check(pl.poll(120000), "the connection is still open")
        check(so_error(s) == errno.ETIMEDOUT, "SO_ERROR %d" % so_error(s))
        after = stats()
        check(after["TtpKeepAliveProbes"] - before["TtpKeepAliveProbes"] ==
              2, "%d probes, not 2" % (after["TtpKeepAliveProbes"] -
                                       before["TtpKeepAliveProbes"]))
        check(after["TtpKeepAliveTimeouts"] ==
              before["TtpKeepAliveTimeouts"] + 1, "not counted")
        n = peer.more(lambda p: len(p["payload"]) == 1 and
                      p["flags"] & ~CRC == ACK)
        check(n == 2, "%d one-byte probes on the link, not 2" % n)
        s.close()


TESTS = [t for n, t in sorted(globals().items()) if n.startswith("t_")]


def main():
    print("TAP version 13")
    print("1..%d" % len(TESTS))
    failed = 0
    for i, t in enumerate(TESTS, 1):
        name = t.__name__[2:]
        print("#  RUN           %s ..." % name)
        try:
            t()
            print("#            OK  %s" % name)
            print("ok %d %s" % (i, name))
        except (Fail, OSError) as e:
            failed += 1
            print("# FAIL: %s" % e)
            print("#     FAIL       %s" % name)
            print("not ok %d %s" % (i, name))
        sys.stdout.flush()
    print("# Totals: pass:%d fail:%d xfail:0 xpass:0 skip:0 error:0" %
          (len(TESTS) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
