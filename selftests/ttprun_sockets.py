#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
#
# Run under ttprun by ttp_ttprun.sh: what Python's socket module sees of
# TTP sockets made from its TCP sockets.  Each check raises on failure.
#
#   ttprun_sockets.py server PORT      serve the checks' peer (echo, one
#                                      connection at a time, forever)
#   ttprun_sockets.py CHECK ADDR PORT  run one check against that server
import errno
import select
import socket
import struct
import sys


def echo_server(port):
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("0.0.0.0", port))
    srv.listen(8)
    assert srv.getsockname() == ("0.0.0.0", port), srv.getsockname()
    print("listening", flush=True)
    while True:
        c, peer = srv.accept()
        assert c.family == socket.AF_INET and isinstance(peer, tuple), peer
        while True:
            d = c.recv(65536)
            if not d:
                break
            c.sendall(d)
        c.close()


def check_addresses_look_like_af_inet(addr, port):
    s = socket.create_connection((addr, port), timeout=30)
    assert s.family == socket.AF_INET, s.family
    assert s.getsockopt(socket.SOL_SOCKET, socket.SO_DOMAIN) == socket.AF_INET
    assert s.getsockopt(socket.SOL_SOCKET, socket.SO_PROTOCOL) == socket.IPPROTO_TCP
    assert s.getsockopt(socket.SOL_SOCKET, socket.SO_TYPE) == socket.SOCK_STREAM
    peer, local = s.getpeername(), s.getsockname()
    assert peer == (addr, port), peer
    assert len(local) == 2 and local[1] > 0, local
    s.sendall(b"ping")
    assert s.recv(4) == b"ping"
    s.close()


def check_tcp_options_map_to_ttp(addr, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    for opt in (socket.TCP_KEEPIDLE, socket.TCP_KEEPINTVL, socket.TCP_KEEPCNT):
        s.setsockopt(socket.IPPROTO_TCP, opt, 30)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG, 1200)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_WINDOW_CLAMP, 20000)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NOTSENT_LOWAT, 16384)
    # TCP_CONGESTION is TTP_CONGESTION; TCP's "reno" is TTP's "newreno".
    def cc():
        name = s.getsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, 16)
        return name.rstrip(b"\0")
    assert cc() == b"reno", cc()
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, b"cubic")
    assert cc() == b"cubic", cc()
    try:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, b"no-such-cc")
        raise AssertionError("an unknown congestion control was accepted")
    except OSError as e:
        assert e.errno == errno.ENOENT, e
    assert cc() == b"cubic", cc()
    s.connect((addr, port))
    assert cc() == b"cubic", cc()
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, b"reno")
    assert cc() == b"reno", cc()
    # TTP took them (when ignored, both read 0).
    assert s.getsockopt(socket.IPPROTO_TCP, socket.TCP_WINDOW_CLAMP) == 20000
    assert s.getsockopt(socket.IPPROTO_TCP, socket.TCP_NOTSENT_LOWAT) == 16384
    # TTP's keepalive took them (Linux's defaults would read 7200, 75, 9).
    for opt in (socket.TCP_KEEPIDLE, socket.TCP_KEEPINTVL, socket.TCP_KEEPCNT):
        assert s.getsockopt(socket.IPPROTO_TCP, opt) == 30, opt
    assert s.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
    assert s.getsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG) == 1200
    # TCP takes TCP_MAXSEG after the handshake too.
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG, 1000)
    assert s.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE) == 1
    # TTP_CORK took it (when ignored, it read 0); uncorked, the data goes.
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_CORK, 1)
    assert s.getsockopt(socket.IPPROTO_TCP, socket.TCP_CORK) == 1
    s.sendall(b"cork")
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_CORK, 0)
    assert s.getsockopt(socket.IPPROTO_TCP, socket.TCP_CORK) == 0
    assert s.recv(4) == b"cork"
    info = s.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 104)
    state, ca = info[0], info[1]
    rto, _ato, snd_mss = struct.unpack_from("III", info, 8)
    assert state == 1, "tcpi_state %d, not ESTABLISHED" % state
    assert ca == 0, ca
    assert 500 <= snd_mss <= 1200 and rto > 0, (snd_mss, rto)
    try:
        s.setsockopt(socket.IPPROTO_TCP, 9999, 1)
        raise AssertionError("an unknown TCP option was accepted")
    except OSError as e:
        assert e.errno == errno.ENOPROTOOPT, e
    try:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        raise AssertionError("an IPv6 option was accepted on AF_INET")
    except OSError as e:
        assert e.errno == errno.ENOPROTOOPT, e
    s.close()


def check_nonblocking_connect_then_so_error(addr, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM | socket.SOCK_NONBLOCK)
    rc = s.connect_ex((addr, port))
    assert rc in (0, errno.EINPROGRESS), errno.errorcode.get(rc, rc)
    _, w, _ = select.select([], [s], [], 30)
    assert w, "not writable in 30 s"
    assert s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0
    s.setblocking(True)
    s.sendall(b"x" * 100000)
    s.shutdown(socket.SHUT_WR)
    got = b""
    while True:
        d = s.recv(65536)
        if not d:
            break
        got += d
    assert got == b"x" * 100000, len(got)


def check_refused_connect_reports_econnrefused(addr, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM | socket.SOCK_NONBLOCK)
    rc = s.connect_ex((addr, 9))
    if rc == errno.EINPROGRESS:
        select.select([], [s], [], 30)
        rc = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
    assert rc == errno.ECONNREFUSED, errno.errorcode.get(rc, rc)


def check_udp_and_unix_untouched(addr, port):
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind(("127.0.0.1", 0))
    assert u.getsockopt(socket.SOL_SOCKET, socket.SO_DOMAIN) == socket.AF_INET
    u.sendto(b"dgram", u.getsockname())
    assert u.recvfrom(16) == (b"dgram", u.getsockname())
    a, b = socket.socketpair()
    assert a.family == socket.AF_UNIX
    a.sendall(b"unix")
    assert b.recv(4) == b"unix"
    # A raw IP socket is not a TCP one: left alone.
    r = socket.socket(socket.AF_INET, socket.SOCK_RAW, 253)
    assert r.getsockopt(socket.SOL_SOCKET, socket.SO_PROTOCOL) == 253


def check_ipv6_dual_stack_listener_reports_mapped(addr, port):
    srv = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    srv.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    srv.bind(("::", 0))
    srv.listen(1)
    lport = srv.getsockname()[1]
    assert srv.getsockname()[0] == "::", srv.getsockname()
    assert srv.getsockopt(socket.SOL_SOCKET, socket.SO_DOMAIN) == socket.AF_INET6
    c = socket.create_connection(("127.0.0.1", lport), timeout=30)
    a, peer = srv.accept()
    assert a.family == socket.AF_INET6
    assert peer[0] == "::ffff:127.0.0.1" and peer[1] == c.getsockname()[1], peer
    assert a.getsockname()[:2] == ("::ffff:127.0.0.1", lport), a.getsockname()
    c.sendall(b"v6")
    assert a.recv(2) == b"v6"


def check_ipv6_only_socket_stays_tcp(addr, port):
    # An IPv6-only listener and an IPv4 one on the same port, as sshd
    # and nginx open them: the first stays TCP, the second is TTP.
    v6 = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    v6.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    v6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    v6.bind(("::", 0))
    v6.listen(1)
    p = v6.getsockname()[1]
    v4 = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    v4.bind(("0.0.0.0", p))
    v4.listen(1)
    assert v6.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR) == 1
    with open("/proc/net/tcp6") as f:
        assert any(":%04X " % p in line for line in f), "no TCP listener"
    with open("/proc/net/ttp") as f:
        assert any(":%04X " % p in line for line in f), "no TTP listener"


def check_reuseport_listeners_share_a_port(addr, port):
    # nginx's "listen ... reuseport": SO_REUSEPORT reaches the TTP socket
    # (through TTP_REUSEPORT where the kernel refuses SOL_SOCKET's), two
    # listeners share a port, a third without it cannot, and connections
    # go to both.
    ls = []
    for i in range(2):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        assert s.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT) == 1
        s.bind(("127.0.0.1", ls[0].getsockname()[1] if ls else 0))
        s.listen(64)
        ls.append(s)
    p = ls[0].getsockname()[1]
    with open("/proc/net/ttp") as f:
        n = sum(":%04X 00000000:0000 0A" % p in line for line in f)
    assert n == 2, "%d TTP listeners on port %d" % (n, p)
    plain = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        plain.bind(("127.0.0.1", p))
        raise AssertionError("a socket without SO_REUSEPORT took the port")
    except OSError as e:
        assert e.errno == errno.EADDRINUSE, e
    got = [0, 0]
    for k in range(32):
        c = socket.create_connection(("127.0.0.1", p), timeout=30)
        r, _, _ = select.select(ls, [], [], 30)
        assert len(r) == 1, r
        a, _ = r[0].accept()
        c.sendall(b"%02d" % k)
        assert a.recv(2) == b"%02d" % k
        got[ls.index(r[0])] += 1
        a.close()
        c.close()
    assert got[0] and got[1], got


def main():
    if sys.argv[1] == "server":
        echo_server(int(sys.argv[2]))
        return
    globals()["check_" + sys.argv[1]](sys.argv[2], int(sys.argv[3]))
    print("passed")


main()
