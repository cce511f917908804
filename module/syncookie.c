// SPDX-License-Identifier: GPL-2.0-only
/*
 * SYN cookies: how a listener answers SYNs without keeping state.
 *
 * A listener keeps at most net.ttp.max_syn_backlog connections in SYN_RECV.
 * A flood of SYNs from forged addresses, which never complete the
 * handshake, fills that queue; later SYNs, a real client's among them,
 * could then only be dropped.  Instead, while the queue is full (or
 * always, with net.ttp.syncookies = 2), the listener answers a SYN with a
 * SYN+ACK whose sequence number is a *cookie*, and forgets it.  A real
 * client acknowledges cookie + 1; the listener checks the cookie in that
 * ACK and only then creates the connection.  A forged address never sees
 * the cookie, so it costs the listener no memory at all.
 *
 * The cookie (Documentation/protocol.rst, "SYN cookies"):
 *
 *	cookie = W + (data << 23 | MAC)		(mod 2^32)
 *	H      = SipHash(k0; local addr, remote addr,
 *			 local port << 16 | remote port, peer's ISN)
 *	W      = low 32 bits of H
 *	MAC    = low 23 bits of SipHash(k1; high 32 bits of H, t, data)
 *	t      = seconds since boot / 64
 *	data   = MSS index | peer's window scale << 3 | CRC32C chosen << 7
 *		 | SACK agreed << 8
 *
 * W hides the cookie's layout; MAC proves that this host made it, for
 * this connection, within the last two periods of t (64 to 128 s).  The
 * ACK's acknowledgment number less 1 is the cookie, its sequence number
 * less 1 the peer's ISN.  What the SYN negotiated survives in data; what
 * does not fit there (the exact MSS) is lost.
 */
#include <linux/jiffies.h>
#include <linux/siphash.h>
#include <linux/ktime.h>
#include <net/ip.h>
#include <net/route.h>

#include "ttp.h"

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

#define TTP_COOKIE_MSS_MASK	0x07
#define TTP_COOKIE_WS_SHIFT	3
#define TTP_COOKIE_NO_WSCALE	15	/* the SYN had no WSCALE option */
#define TTP_COOKIE_CRC32C	0x80
#define TTP_COOKIE_SACK		0x100
#define TTP_COOKIE_DATA_SHIFT	23
#define TTP_COOKIE_MAC_MASK	((1U << TTP_COOKIE_DATA_SHIFT) - 1)
#define TTP_COOKIE_PERIOD_LOG	6	/* t counts periods of 64 s */
/* A cookie is checked for 2 periods; an ACK after that is refused. */
#define TTP_COOKIE_LIFE		(2 * (HZ << TTP_COOKIE_PERIOD_LOG))

static struct {
	siphash_key_t	k[2];
} ttp_cookie_keys __aligned(SIPHASH_ALIGNMENT);

static u32 ttp_cookie_time(void)
{
	return (u32)(ktime_get_seconds() >> TTP_COOKIE_PERIOD_LOG);
}

/* H of the connection: addresses and ports from the listener's side. */
static u64 ttp_cookie_hash(__be32 laddr, __be32 raddr, __be16 lport,
			   __be16 rport, u32 peer_isn)
{
	net_get_random_once(&ttp_cookie_keys, sizeof(ttp_cookie_keys));
	return siphash_4u32((__force u32)laddr, (__force u32)raddr,
			    ((u32)ntohs(lport) << 16) | ntohs(rport), peer_isn,
			    &ttp_cookie_keys.k[0]);
}

static u32 ttp_cookie_mac(u64 h, u32 t, u32 data)
{
	return (u32)siphash_3u32(h >> 32, t, data, &ttp_cookie_keys.k[1]) &
	       TTP_COOKIE_MAC_MASK;
}

/* The window a connection made from a cookie advertised in its SYN+ACK. */
static u16 ttp_cookie_window(struct sock *listener)
{
	return min_t(u32, ttp_select_window_peek(listener), U16_MAX);
}

/**
 * ttp_syncookie_wanted() - answer this SYN with a cookie?
 * @sk: the listener
 * @syn_queue_full: its SYN queue holds net.ttp.max_syn_backlog children
 *
 * Always with net.ttp.syncookies = 2; with 1 (the default), when the SYN
 * queue is full.
 *
 * Return: true to answer with a cookie.
 */
bool ttp_syncookie_wanted(struct sock *sk, bool syn_queue_full)
{
	int mode = READ_ONCE(ttp_pernet(sock_net(sk))->sysctl.syncookies);

	return mode == 2 || (mode == 1 && syn_queue_full);
}

/**
 * ttp_syncookie_send() - answer the SYN @skb of @peer with a cookie
 * @sk: the listener
 * @skb: the SYN
 * @peer: the options of the SYN
 *
 * A SYN+ACK whose sequence number is the cookie; nothing is kept.  A SYN
 * with no route back is dropped, and counted.
 */
void ttp_syncookie_send(struct sock *sk, struct sk_buff *skb,
			const struct ttp_opts *peer)
{
	struct ttp_sock *ptsk = ttp_sk(sk);
	struct net *net = sock_net(sk);
	const struct iphdr *iph = ip_hdr(skb);
	const struct ttphdr *th = (const struct ttphdr *)skb_transport_header(skb);
	u32 peer_isn = ntohl(th->seq);
	u16 peer_mss = peer->has_mss ? peer->mss :
		       READ_ONCE(ttp_pernet(net)->sysctl.default_mss);
	struct ttp_opts o = { };
	struct rtable *rt;
	struct flowi4 fl4;
	u32 cookie, data;
	u64 h;

	rt = ttp_reply_route(net, skb, &fl4);
	if (IS_ERR(rt)) {
		TTP_INC_STATS(net, TTP_MIB_LISTENDROPS);
		return;
	}

	/* What the SYN said, as far as the cookie can carry it. */
	data = ARRAY_SIZE(ttp_cookie_mss) - 1;
	while (data && ttp_cookie_mss[data] > peer_mss)
		data--;
	data |= (peer->has_wscale ? peer->wscale : TTP_COOKIE_NO_WSCALE) <<
		TTP_COOKIE_WS_SHIFT;
	if (peer->has_csum &&
	    (peer->csum_mask & ptsk->csum_offer & (1 << TTP_CSUM_CRC32C)))
		data |= TTP_COOKIE_CRC32C;
	if (peer->sack_ok && ptsk->sack_offer)
		data |= TTP_COOKIE_SACK;

	/* Our options, as a connection's SYN+ACK would have them. */
	o.has_mss = 1;
	o.mss = ttp_mtu_mss(dst_mtu(&rt->dst));
	if (ptsk->mss_clamp)
		o.mss = min(o.mss, ptsk->mss_clamp);
	if (peer->has_wscale) {
		o.has_wscale = 1;
		o.wscale = ttp_choose_wscale(sk);
	}
	o.has_csum = 1;
	o.csum_mask = (data & TTP_COOKIE_CRC32C) ? 1 << TTP_CSUM_CRC32C :
						   1 << TTP_CSUM_INET;
	o.sack_ok = !!(data & TTP_COOKIE_SACK);
	/*
	 * Timestamps need no room in the cookie: the ACK that returns it
	 * carries the option if, and only if, they were agreed.  The clock
	 * is the one the connection will run (ttp_ts_offset()).
	 */
	if (peer->has_ts && ptsk->ts_offer) {
		o.has_ts = 1;
		o.tsval = ttp_ts_clock() + ttp_ts_offset(iph->daddr, iph->saddr);
		o.tsecr = peer->tsval;
	}

	h = ttp_cookie_hash(iph->daddr, iph->saddr, th->dest, th->source,
			    peer_isn);
	cookie = (u32)h + (data << TTP_COOKIE_DATA_SHIFT |
			   ttp_cookie_mac(h, ttp_cookie_time(), data));
	WRITE_ONCE(ptsk->cookie_sent, jiffies);
	TTP_INC_STATS(net, TTP_MIB_SYNCOOKIESSENT);
	ttp_send_reply(net, skb, rt, cookie, peer_isn + 1, TTPF_SYN | TTPF_ACK,
		       ttp_cookie_window(sk), &o);
}

/*
 * Is @cookie one of ours for this connection, made in this period or the
 * one before?  Sets @data from it.
 */
static bool ttp_cookie_valid(const struct sk_buff *skb, u32 peer_isn,
			     u32 cookie, u32 *data)
{
	const struct iphdr *iph = ip_hdr(skb);
	const struct ttphdr *th = (const struct ttphdr *)skb_transport_header(skb);
	u64 h = ttp_cookie_hash(iph->daddr, iph->saddr, th->dest, th->source,
				peer_isn);
	u32 v = cookie - (u32)h;
	u32 t = ttp_cookie_time();

	*data = v >> TTP_COOKIE_DATA_SHIFT;
	v &= TTP_COOKIE_MAC_MASK;
	return v == ttp_cookie_mac(h, t, *data) ||
	       v == ttp_cookie_mac(h, t - 1, *data);
}

/**
 * ttp_syncookie_check() - does an ACK to a listener acknowledge a cookie?
 * @sk: the listener
 * @skb: the ACK
 * @peer: filled in when the cookie is good
 *
 * The ACK @skb reached listener @sk: does it acknowledge a cookie of ours?
 * Only while cookies are on and the listener sent one lately: a listener
 * that sent none has nothing to check, and an attacker nothing to guess.
 *
 * Return: 1, and @peer set to what the peer's SYN offered, if the caller
 * is to create the connection (ttp_syncookie_init_child() then finishes
 * it); 0 if @skb is no cookie's ACK (the caller answers it with a RST); a
 * negative errno if it must be dropped without a reply (counted here).
 */
int ttp_syncookie_check(struct sock *sk, struct sk_buff *skb,
			struct ttp_opts *peer)
{
	const struct ttphdr *th = (const struct ttphdr *)skb_transport_header(skb);
	struct ttp_sock *ptsk = ttp_sk(sk);
	struct net *net = sock_net(sk);
	unsigned long sent = READ_ONCE(ptsk->cookie_sent);
	u32 data, ws;

	if (!READ_ONCE(ttp_pernet(net)->sysctl.syncookies) || !sent ||
	    time_after(jiffies, sent + TTP_COOKIE_LIFE))
		return 0;
	if (!ttp_cookie_valid(skb, ntohl(th->seq) - 1, ntohl(th->ack_seq) - 1,
			      &data)) {
		TTP_INC_STATS(net, TTP_MIB_SYNCOOKIESFAILED);
		/*
		 * Data or a FIN, from beyond the client's first segment, may
		 * follow a cookie ACK that was dropped for want of room in the
		 * accept queue: a RST would kill a connection that its first
		 * segment, sent again, will open.  Drop it silently.
		 */
		return skb->len || (th->flags & TTPF_FIN) ? -EAGAIN : 0;
	}
	/* CRC32C was agreed: nothing weaker will do (as in ttp_v4_rcv()). */
	if ((data & TTP_COOKIE_CRC32C) && !(th->flags & TTPF_CRC)) {
		TTP_INC_STATS(net, TTP_MIB_INCSUMERRORS);
		return -EPROTO;
	}
	/* No room: the peer sends its first data again, a cookie ACK too. */
	if (sk_acceptq_is_full(sk)) {
		TTP_INC_STATS(net, TTP_MIB_LISTENOVERFLOWS);
		return -ENOBUFS;
	}

	memset(peer, 0, sizeof(*peer));
	peer->has_mss = 1;
	peer->mss = ttp_cookie_mss[data & TTP_COOKIE_MSS_MASK];
	ws = (data >> TTP_COOKIE_WS_SHIFT) & 0x0f;
	if (ws != TTP_COOKIE_NO_WSCALE) {
		peer->has_wscale = 1;
		peer->wscale = ws;	/* at most 14: the parser saw to it */
	}
	/* The choice made, as a SYN+ACK names it. */
	peer->has_csum = 1;
	peer->csum_mask = (data & TTP_COOKIE_CRC32C) ? 1 << TTP_CSUM_CRC32C :
						       1 << TTP_CSUM_INET;
	peer->sack_ok = !!(data & TTP_COOKIE_SACK);
	return 1;
}

/**
 * ttp_syncookie_init_child() - finish a child made from a SYN cookie
 * @sk: the listener
 * @child: the child
 * @peer: what ttp_syncookie_check() found the peer's SYN offered
 *
 * @child of @sk, just created in SYN_RECV for the cookie ACK that
 * ttp_syncookie_check() accepted with @peer, is made what it would be had
 * it sent the SYN+ACK itself.  Under its lock.
 */
void ttp_syncookie_init_child(struct sock *sk, struct sock *child,
			      const struct ttp_opts *peer)
{
	struct ttp_sock *tsk = ttp_sk(child);

	/* Our SYN+ACK went out, and the segment at hand acknowledges it. */
	tsk->snd_nxt = tsk->iss + 1;
	tsk->write_seq = tsk->iss + 1;
	tsk->rcv_wnd = ttp_cookie_window(sk);
	tsk->opts |= TTPI_OPT_SYNCOOKIE;
	/* The algorithm the SYN+ACK named, whatever the listener offers now. */
	if (peer->csum_mask & (1 << TTP_CSUM_CRC32C)) {
		tsk->csum_algo = TTP_CSUM_CRC32C;
		tsk->opts |= TTPI_OPT_CRC32C;
	} else {
		tsk->csum_algo = TTP_CSUM_INET;
		tsk->opts &= ~TTPI_OPT_CRC32C;
	}
	TTP_INC_STATS(sock_net(child), TTP_MIB_SYNCOOKIESRECV);
}
