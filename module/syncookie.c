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
 * does not fit there (the exact MSS) is lost.  What data holds is
 * negotiation's (ttp_cookie_encode() in negotiate.c); this file makes
 * the cookie around it and checks it.
 */
#include <kunit/visibility.h>
#include <linux/jiffies.h>
#include <linux/siphash.h>
#include <linux/ktime.h>
#include <net/ip.h>
#include <net/route.h>

#include "auth.h"
#include "ttp.h"

#define TTP_COOKIE_DATA_SHIFT	(32 - TTP_COOKIE_DATA_BITS)
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

/**
 * ttp_cookie_hash() - H, the hash of a connection that a cookie is for
 * @laddr: the listener's address
 * @raddr: the peer's address
 * @lport: the listener's port
 * @rport: the peer's port
 * @peer_isn: the sequence number of the peer's SYN
 *
 * Return: H, keyed by a secret made at the first call.
 */
u64 ttp_cookie_hash(__be32 laddr, __be32 raddr, __be16 lport, __be16 rport,
		    u32 peer_isn)
{
	net_get_random_once(&ttp_cookie_keys, sizeof(ttp_cookie_keys));
	return siphash_4u32((__force u32)laddr, (__force u32)raddr,
			    ((u32)ntohs(lport) << 16) | ntohs(rport), peer_isn,
			    &ttp_cookie_keys.k[0]);
}
EXPORT_SYMBOL_IF_KUNIT(ttp_cookie_hash);

static u32 ttp_cookie_mac(u64 h, u32 t, u32 data)
{
	return (u32)siphash_3u32(h >> 32, t, data, &ttp_cookie_keys.k[1]) &
	       TTP_COOKIE_MAC_MASK;
}

/**
 * ttp_cookie_make() - the cookie of connection @h for @data at time @t
 * @h: ttp_cookie_hash() of the connection
 * @t: the period, ttp_cookie_time()
 * @data: ttp_cookie_encode() of the SYN; its low TTP_COOKIE_DATA_BITS bits
 *
 * Return: the cookie, the sequence number of the SYN+ACK.
 */
u32 ttp_cookie_make(u64 h, u32 t, u32 data)
{
	data &= (1U << TTP_COOKIE_DATA_BITS) - 1;
	return (u32)h + (data << TTP_COOKIE_DATA_SHIFT |
			 ttp_cookie_mac(h, t, data));
}
EXPORT_SYMBOL_IF_KUNIT(ttp_cookie_make);

/**
 * ttp_cookie_open() - is @cookie one of ours for connection @h?
 * @h: ttp_cookie_hash() of the connection the ACK is from
 * @t: the period now, ttp_cookie_time()
 * @cookie: the ACK's acknowledgment number less 1
 * @data: set to the cookie's data
 *
 * Return: true if ttp_cookie_make() made @cookie for @h in period @t or
 * the one before; @data is then what it was made with.
 */
bool ttp_cookie_open(u64 h, u32 t, u32 cookie, u32 *data)
{
	u32 v = cookie - (u32)h;
	u32 mac = v & TTP_COOKIE_MAC_MASK;

	*data = v >> TTP_COOKIE_DATA_SHIFT;
	return mac == ttp_cookie_mac(h, t, *data) ||
	       mac == ttp_cookie_mac(h, t - 1, *data);
}
EXPORT_SYMBOL_IF_KUNIT(ttp_cookie_open);

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
	int mode = ttp_sysctl_syncookies(sock_net(sk));

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
	struct ttp_opts o;
	struct rtable *rt;
	struct flowi4 fl4;
	const struct ttp_auth_mkt *key = NULL;
	u32 cookie, data;
	u8 rnext = 0;
	u64 h;

	rt = ttp_reply_route(net, skb, &fl4);
	if (IS_ERR(rt)) {
		TTP_INC_STATS(net, TTP_MIB_LISTENDROPS);
		return;
	}

	/* What the SYN said, as far as the cookie can carry it. */
	data = ttp_cookie_encode(sk, peer);

	/* Our options, as a connection's SYN+ACK would have them. */
	ttp_cookie_decode(data, &o);
	o.mss = ttp_mtu_mss(dst_mtu(&rt->dst));
	if (ptsk->mss_clamp)
		o.mss = min(o.mss, ptsk->mss_clamp);
	if (o.has_wscale)
		o.wscale = ttp_choose_wscale(sk);
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
	cookie = ttp_cookie_make(h, ttp_cookie_time(), data);
	WRITE_ONCE(ptsk->cookie_sent, jiffies);
	TTP_INC_STATS(net, TTP_MIB_SYNCOOKIESSENT);
	/* A signed SYN (ttp_auth_check() verified it) gets a signed answer. */
	if (peer->has_auth) {
		const u8 *opt = (const u8 *)(th + 1) + peer->auth_off;

		key = ttp_auth_reply_key(sk, iph->saddr, th->source, opt[2],
					 opt[3]);
		if (!key) {
			ip_rt_put(rt);
			return;
		}
		rnext = opt[2];
	}
	ttp_send_reply(net, skb, rt, cookie, peer_isn + 1, TTPF_SYN | TTPF_ACK,
		       ttp_cookie_window(sk), &o, key, rnext);
}

/* ttp_cookie_open() of the cookie an ACK to a listener acknowledges */
static bool ttp_cookie_valid(const struct sk_buff *skb, u32 *data)
{
	const struct iphdr *iph = ip_hdr(skb);
	const struct ttphdr *th = (const struct ttphdr *)skb_transport_header(skb);
	u64 h = ttp_cookie_hash(iph->daddr, iph->saddr, th->dest, th->source,
				ntohl(th->seq) - 1);

	return ttp_cookie_open(h, ttp_cookie_time(), ntohl(th->ack_seq) - 1,
			       data);
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
	u32 data;

	if (!ttp_sysctl_syncookies(net) || !sent ||
	    time_after(jiffies, sent + TTP_COOKIE_LIFE))
		return 0;
	if (!ttp_cookie_valid(skb, &data)) {
		TTP_INC_STATS(net, TTP_MIB_SYNCOOKIESFAILED);
		/*
		 * Data or a FIN, from beyond the client's first segment, may
		 * follow a cookie ACK that was dropped for want of room in the
		 * accept queue: a RST would kill a connection that its first
		 * segment, sent again, will open.  Drop it silently.
		 */
		return skb->len || (th->flags & TTPF_FIN) ? -EAGAIN : 0;
	}
	ttp_cookie_decode(data, peer);
	/* CRC32C was agreed: nothing weaker will do (as in ttp_v4_rcv()). */
	if ((peer->csum_mask & BIT(TTP_CSUM_CRC32C)) &&
	    !(th->flags & TTPF_CRC)) {
		TTP_INC_STATS(net, TTP_MIB_INCSUMERRORS);
		return -EPROTO;
	}
	/* No room: the peer sends its first data again, a cookie ACK too. */
	if (sk_acceptq_is_full(sk)) {
		TTP_INC_STATS(net, TTP_MIB_LISTENOVERFLOWS);
		return -ENOBUFS;
	}
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
