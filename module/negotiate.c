// SPDX-License-Identifier: GPL-2.0-only
/*
 * Negotiation: the options our SYN and SYN+ACK offer, the MSS a route
 * allows, and what a connection takes from the peer's offer (MSS, window
 * scale, checksum algorithm, SACK, timestamps).  Documentation/protocol.rst,
 * "Negotiation"; and what a SYN cookie keeps of it (syncookie.c makes and
 * checks the cookie).
 */
#include <kunit/visibility.h>
#include <net/ip.h>
#include <net/sock.h>

#include "auth.h"
#include "ttp.h"
#include "trace.h"

/*
 * Largest payload the route lets a segment carry.  A segment is one linear
 * allocation (output.c builds them so); on a path with a huge MTU, such as
 * loopback's 64 KiB, it stops at what fits a 32 KiB allocation, as a larger
 * one would cost twice its size in socket memory.
 */
#define TTP_MAX_MSS	(SKB_WITH_OVERHEAD(32768) - TTP_MAX_HEADER)

/**
 * ttp_mtu_mss() - the MSS a path MTU allows
 * @mtu: the path MTU
 *
 * Return: @mtu less the IP and TTP headers, within [TTP_MIN_MSS, TTP_MAX_MSS].
 */
u16 ttp_mtu_mss(unsigned int mtu)
{
	/* In int: an MTU below the headers makes a negative MSS, not a huge one. */
	int mss = (int)min(mtu, IP_MAX_MTU) - (int)sizeof(struct iphdr) -
		  TTP_HDR_LEN;

	return clamp_t(int, mss, TTP_MIN_MSS, TTP_MAX_MSS);
}
EXPORT_SYMBOL_IF_KUNIT(ttp_mtu_mss);

/**
 * ttp_route_mss() - the MSS the socket's route allows
 * @sk: the socket
 *
 * Return: ttp_mtu_mss() of the route's MTU, or of 576 without a route.
 */
u16 ttp_route_mss(struct sock *sk)
{
	struct dst_entry *dst = __sk_dst_get(sk);

	return ttp_mtu_mss(dst ? dst_mtu(dst) : 576);
}

/**
 * ttp_choose_wscale() - the window scale we offer
 * @sk: the socket
 *
 * Return: the shift that lets our largest possible buffer be advertised:
 * what SO_RCVBUF may set, or what autotuning may reach (receiver.c) when
 * SO_RCVBUF has not fixed it.
 */
u8 ttp_choose_wscale(const struct sock *sk)
{
	u32 space = max_t(u32, READ_ONCE(sk->sk_rcvbuf),
			  READ_ONCE(sysctl_rmem_max) * 2) / 2;
	u8 ws = 0;

	if (!(sk->sk_userlocks & SOCK_RCVBUF_LOCK))
		space = max_t(u32, space,
			      ttp_sysctl_rcvbuf_max(sock_net(sk)));

	while (space > U16_MAX && ws < TTP_MAX_WSCALE) {
		space >>= 1;
		ws++;
	}
	return ws;
}
EXPORT_SYMBOL_IF_KUNIT(ttp_choose_wscale);

/**
 * ttp_syn_options() - the options of our SYN or SYN+ACK
 * @sk: the connection
 * @o: filled in
 * @synack: a SYN+ACK, which answers what the peer's SYN offered
 *
 * A SYN offers what this socket may use; a SYN+ACK names what was chosen.
 */
void ttp_syn_options(struct sock *sk, struct ttp_opts *o, bool synack)
{
	struct ttp_sock *tsk = ttp_sk(sk);
	u16 mss = ttp_route_mss(sk);

	if (tsk->mss_clamp)
		mss = min(mss, tsk->mss_clamp);
	memset(o, 0, sizeof(*o));
	o->has_mss = 1;
	o->mss = mss;
	if (!synack || (tsk->opts & TTPI_OPT_WSCALE)) {
		/* Kept apart: a simultaneous open may negotiate twice. */
		if (!synack) {
			tsk->syn_wscale = ttp_choose_wscale(sk);
			tsk->rcv_wscale = tsk->syn_wscale;
		}
		o->has_wscale = 1;
		o->wscale = tsk->rcv_wscale;
	}
	o->has_csum = 1;
	/* A SYN offers algorithms; a SYN+ACK names the one chosen. */
	o->csum_mask = synack ? 1 << tsk->csum_algo : tsk->csum_offer;
	/* SACK if we offer it; in a SYN+ACK, if both did. */
	o->sack_ok = synack ? !!(tsk->opts & TTPI_OPT_SACK) : tsk->sack_offer;
	/* Timestamps likewise; a SYN+ACK echoes the SYN's TSval. */
	if (synack ? ttp_ts_on(tsk) : tsk->ts_offer) {
		o->has_ts = 1;
		o->tsval = ttp_ts_now(tsk);
		o->tsecr = synack ? tsk->ts_recent : 0;
	}
}

/* ---- the handshake: negotiation ---- */

/**
 * ttp_negotiate() - apply what the peer's SYN or SYN+ACK offered
 * @sk: the connection
 * @peer: the options of the peer's SYN (server) or SYN+ACK (client)
 * @we_are_client: which of the two @sk is
 * @ours_wscale: the window scale our side offers
 *
 * MSS, timestamps, window scale, checksum algorithm and SACK, as
 * Documentation/protocol.rst, "Negotiation", says; then congestion control
 * starts from the MSS agreed.
 */
void ttp_negotiate(struct sock *sk, const struct ttp_opts *peer,
		   bool we_are_client, u8 ours_wscale)
{
	struct ttp_sock *tsk = ttp_sk(sk);
	struct net *net = sock_net(sk);
	u16 mss = ttp_route_mss(sk);

	if (tsk->mss_clamp)
		mss = min(mss, tsk->mss_clamp);
	mss = min_t(u16, mss, peer->has_mss ? peer->mss :
		    ttp_sysctl_default_mss(net));
	tsk->mss_agreed = max_t(u16, mss, TTP_MIN_MSS);
	tsk->mss = tsk->mss_agreed;

	/*
	 * Timestamps if both sides sent the option; every segment then
	 * carries it, in room the MSS leaves for data (RFC 7323, as TCP).
	 */
	if (peer->has_ts && tsk->ts_offer) {
		tsk->opts |= TTPI_OPT_TIMESTAMPS;
		tsk->mss -= TTP_TS_SPACE;
		ttp_ts_init(sk, peer);
	} else {
		tsk->opts &= ~TTPI_OPT_TIMESTAMPS;
	}
	/* The AUTH option of a connection that signs, likewise. */
	if (tsk->auth_on) {
		tsk->opts |= TTPI_OPT_AUTH;
		tsk->mss -= TTP_AUTH_SPACE;
	}

	/* Window scaling only if both sides sent the option. */
	if (peer->has_wscale) {
		tsk->opts |= TTPI_OPT_WSCALE;
		tsk->snd_wscale = peer->wscale;
		tsk->rcv_wscale = ours_wscale;
	} else {
		tsk->opts &= ~TTPI_OPT_WSCALE;
		tsk->snd_wscale = 0;
		tsk->rcv_wscale = 0;
	}

	/*
	 * Checksum: the server picks CRC32C if both offered it, else the
	 * Internet checksum, which every TTP supports.  The client takes the
	 * server's pick, if it offered it.
	 */
	tsk->csum_algo = TTP_CSUM_INET;
	if (peer->has_csum) {
		u8 both = peer->csum_mask & tsk->csum_offer;

		if (we_are_client) {
			if (both == (1 << TTP_CSUM_CRC32C))
				tsk->csum_algo = TTP_CSUM_CRC32C;
		} else if (both & (1 << TTP_CSUM_CRC32C)) {
			tsk->csum_algo = TTP_CSUM_CRC32C;
		}
	}
	if (tsk->csum_algo == TTP_CSUM_CRC32C)
		tsk->opts |= TTPI_OPT_CRC32C;
	else
		tsk->opts &= ~TTPI_OPT_CRC32C;

	/* SACK if both sides offered it. */
	if (peer->sack_ok && tsk->sack_offer)
		tsk->opts |= TTPI_OPT_SACK;
	else
		tsk->opts &= ~TTPI_OPT_SACK;

	ttp_cc_start(&tsk->cc, tsk->mss);
	trace_ttp_negotiate(sk, peer);
}
EXPORT_SYMBOL_IF_KUNIT(ttp_negotiate);

/* ---- what a SYN cookie keeps of the negotiation ---- */

/*
 * The MSS values a cookie can name (3 bits).  A SYN's MSS is rounded down
 * to the nearest one; a connection made from a cookie may thus use a
 * smaller MSS than a connection made from the SYN, never a larger one.
 */
static const u16 ttp_cookie_mss[8] = {
	TTP_MIN_MSS,	/* any MSS below 536 */
	536,		/* the IPv4 minimum, and net.ttp.default_mss */
	1220,		/* IPv6's minimum MTU, 1280, less 60 */
	1380,		/* tunnels: MTU 1420 */
	1452,		/* PPPoE: MTU 1492 */
	1460,		/* Ethernet: MTU 1500 */
	8960,		/* jumbo frames: MTU 9000 */
	16384,		/* loopback and other large MTUs */
};

/* The bits of a cookie's data (protocol.rst, "SYN cookies"). */
#define TTP_COOKIE_MSS_MASK	0x07
#define TTP_COOKIE_WS_SHIFT	3
#define TTP_COOKIE_WS_MASK	0x0f
#define TTP_COOKIE_NO_WSCALE	15	/* the SYN had no WSCALE option */
#define TTP_COOKIE_CRC32C	0x80
#define TTP_COOKIE_SACK		0x100

/**
 * ttp_cookie_encode() - what a SYN cookie keeps of a SYN's options
 * @sk: the listener
 * @peer: the options of the SYN
 *
 * Return: the cookie's data, TTP_COOKIE_DATA_BITS bits: the largest MSS of
 * the cookie's table not above the peer's, the peer's window scale (or
 * that it sent none), whether CRC32C is chosen (both sides offer it) and
 * whether SACK is agreed.
 */
u32 ttp_cookie_encode(const struct sock *sk, const struct ttp_opts *peer)
{
	const struct ttp_sock *ptsk = ttp_sk(sk);
	u16 peer_mss = peer->has_mss ? peer->mss :
		       ttp_sysctl_default_mss(sock_net(sk));
	u32 data = ARRAY_SIZE(ttp_cookie_mss) - 1;

	while (data && ttp_cookie_mss[data] > peer_mss)
		data--;
	data |= (peer->has_wscale ? min_t(u8, peer->wscale, TTP_MAX_WSCALE) :
		 TTP_COOKIE_NO_WSCALE) << TTP_COOKIE_WS_SHIFT;
	if (peer->has_csum &&
	    (peer->csum_mask & ptsk->csum_offer & BIT(TTP_CSUM_CRC32C)))
		data |= TTP_COOKIE_CRC32C;
	if (peer->sack_ok && ptsk->sack_offer)
		data |= TTP_COOKIE_SACK;
	return data;
}
EXPORT_SYMBOL_IF_KUNIT(ttp_cookie_encode);

/**
 * ttp_cookie_decode() - the SYN's options, as a cookie's data keeps them
 * @data: the data of a cookie that ttp_cookie_open() found good
 * @peer: filled in
 *
 * The MSS of the table, the window scale if the SYN had one; the checksum
 * and SACK as a SYN+ACK names them, the choice made.  Bits above
 * TTP_COOKIE_DATA_BITS are ignored.
 */
void ttp_cookie_decode(u32 data, struct ttp_opts *peer)
{
	u32 ws = (data >> TTP_COOKIE_WS_SHIFT) & TTP_COOKIE_WS_MASK;

	memset(peer, 0, sizeof(*peer));
	peer->has_mss = 1;
	peer->mss = ttp_cookie_mss[data & TTP_COOKIE_MSS_MASK];
	if (ws != TTP_COOKIE_NO_WSCALE) {
		peer->has_wscale = 1;
		peer->wscale = ws;	/* 0 to 14: 15 is "none" */
	}
	peer->has_csum = 1;
	peer->csum_mask = (data & TTP_COOKIE_CRC32C) ? BIT(TTP_CSUM_CRC32C) :
						       BIT(TTP_CSUM_INET);
	peer->sack_ok = !!(data & TTP_COOKIE_SACK);
}
EXPORT_SYMBOL_IF_KUNIT(ttp_cookie_decode);
