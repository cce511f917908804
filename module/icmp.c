// SPDX-License-Identifier: GPL-2.0-only
/*
 * ICMP errors about TTP segments, and path MTU discovery.
 *
 * IP hands TTP the ICMP errors that quote a TTP header (ttp_v4_err()); the
 * quote holds at least the ports and the sequence number, the first eight
 * bytes, as for TCP.  An error counts only if it quotes a connection's
 * sequence number in flight, between snd_una and snd_nxt: anyone can send
 * ICMP, and that is what an off-path sender cannot know (RFC 5927).  Then,
 * as TCP (RFC 1122 4.2.3.9):
 *
 * - "fragmentation needed" lowers the route's MTU and, with it, the MSS of
 *   the connection; what is in flight and no longer fits is sent again,
 *   cut to the new MSS, without a cut of the congestion window (RFC 1191);
 * - a hard error (protocol or port unreachable, the codes icmp_err_convert
 *   marks fatal, and parameter problems) ends a connection in SYN_SENT at
 *   once with its errno: a host without TTP answers "protocol unreachable",
 *   and connect() fails with ENOPROTOOPT;
 * - but a connection that signs its segments (Segment authentication)
 *   ignores hard errors, which anyone on the path can forge, and counts
 *   them (TtpAuthIcmpDrops);
 * - every other error (net or host unreachable, TTL exceeded), and any
 *   error once the connection is open, is kept in sk_err_soft: if the
 *   connection then times out, the process gets that errno instead of
 *   ETIMEDOUT, and an acknowledgment of new data forgets it.
 *
 * Documentation/protocol.rst, "ICMP errors and path MTU", says the same.
 */
#include <linux/icmp.h>
#include <net/icmp.h>
#include <net/inet_connection_sock.h>
#include <net/ip.h>
#include <net/route.h>
#include <net/sock.h>

#include "auth.h"
#include "ttp.h"

/* Lower the connection's MSS to what a route of @mtu allows. */
static void ttp_lower_mss(struct sock *sk, unsigned int mtu)
{
	struct ttp_sock *tsk = ttp_sk(sk);
	u16 agreed = max_t(u16, ttp_mtu_mss(mtu), TTP_MIN_MSS);

	if (!tsk->mss_agreed || agreed >= tsk->mss_agreed)
		return;
	tsk->mss_agreed = agreed;
	tsk->mss = agreed;
	if (tsk->opts & TTPI_OPT_TIMESTAMPS)
		tsk->mss -= TTP_TS_SPACE;
	if (tsk->opts & TTPI_OPT_AUTH)
		tsk->mss -= TTP_AUTH_SPACE;
	TTP_INC_STATS(sock_net(sk), TTP_MIB_PMTUREDUCED);
	ttp_mtu_lost(sk);
}

/**
 * ttp_mtu_reduced() - apply the MTU the last "fragmentation needed" gave
 * @sk: the connection, under its lock and not owned by a process
 *
 * The route learns the MTU (the kernel keeps it at or above
 * net.ipv4.route.min_pmtu, and below that stops setting DF), then the
 * connection's MSS follows the route's MTU down.
 */
void ttp_mtu_reduced(struct sock *sk)
{
	struct dst_entry *dst;

	if (ttp_state_in(sk, TTP_STATEBIT(TTP_LISTEN) |
			 TTP_STATEBIT(TTP_CLOSED)))
		return;
	dst = inet_csk_update_pmtu(sk, READ_ONCE(ttp_sk(sk)->mtu_info));
	if (!dst)
		return;
	ttp_lower_mss(sk, dst_mtu(dst));
}

/**
 * ttp_release_cb() - what ICMP left for the process to do (proto.release_cb)
 * @sk: the socket, which release_sock() is about to let go
 */
void ttp_release_cb(struct sock *sk)
{
	struct ttp_sock *tsk = ttp_sk(sk);
	int err;

	if (test_and_clear_bit(TTP_DEFER_MTU_REDUCED, &tsk->deferred))
		ttp_mtu_reduced(sk);
	/* An orphan keeps trying: it goes when its SYN retries are spent. */
	if (test_and_clear_bit(TTP_DEFER_HARD_ERROR, &tsk->deferred) &&
	    sk->sk_state == TTP_SYN_SENT && !sock_flag(sk, SOCK_DEAD)) {
		err = READ_ONCE(sk->sk_err_soft);
		if (err) {
			ttp_transition(sk, TTP_EV_RCV_ICMP);
			ttp_set_error_and_done(sk, err);
		}
	}
}

/*
 * Whether an ICMP error concerns connections; if so, its positive errno in
 * @err and whether it is hard in @hard.
 */
static bool ttp_icmp_errno(int type, int code, int *err, bool *hard)
{
	*hard = false;
	switch (type) {
	case ICMP_PARAMETERPROB:
		*hard = true;
		*err = EPROTO;
		return true;
	case ICMP_DEST_UNREACH:
		if (code > NR_ICMP_UNREACH)
			return false;
		*hard = icmp_err_convert[code].fatal;
		*err = icmp_err_convert[code].errno;
		return true;
	case ICMP_TIME_EXCEEDED:
		*err = EHOSTUNREACH;
		return true;
	default:		/* redirects, source quench, and the rest */
		return false;
	}
}

/*
 * An error about @sk, under its lock.  What cannot be done while a
 * process holds the socket is done when it lets go (ttp_release_cb()).
 */
static void ttp_icmp_sock(struct sock *sk, int type, int code, u32 seq,
			  u32 info)
{
	struct ttp_sock *tsk = ttp_sk(sk);
	bool hard;
	int err;

	if (ttp_state_in(sk, TTP_STATEBIT(TTP_CLOSED) |
			 TTP_STATEBIT(TTP_LISTEN) |
			 TTP_STATEBIT(TTP_TIME_WAIT)))
		return;
	if (!ttp_seq_between(tsk->snd_una, seq, tsk->snd_nxt)) {
		TTP_INC_STATS(sock_net(sk), TTP_MIB_ICMPOUTOFWINDOW);
		return;
	}
	if (type == ICMP_DEST_UNREACH && code == ICMP_FRAG_NEEDED) {
		WRITE_ONCE(tsk->mtu_info, info);
		if (!sock_owned_by_user(sk))
			ttp_mtu_reduced(sk);
		else
			set_bit(TTP_DEFER_MTU_REDUCED, &tsk->deferred);
		return;
	}
	if (!ttp_icmp_errno(type, code, &err, &hard))
		return;
	/*
	 * Anyone on the path can forge a hard error: a connection that signs
	 * its segments ignores them (RFC 5925 7.8), and gives up on its own.
	 */
	if (hard && tsk->auth_on) {
		TTP_INC_STATS(sock_net(sk), TTP_MIB_AUTHICMPDROPS);
		return;
	}
	WRITE_ONCE(sk->sk_err_soft, err);
	/*
	 * A child in SYN_RECV: its SYN+ACK goes again until it gives up,
	 * as it would without the error.  The answer to a SYN often comes
	 * while connect() still holds the socket, having just sent it: then
	 * release_sock() ends the connection (ttp_release_cb()).
	 */
	if (!hard || sk->sk_state != TTP_SYN_SENT)
		return;
	if (sock_owned_by_user(sk)) {
		set_bit(TTP_DEFER_HARD_ERROR, &tsk->deferred);
		return;
	}
	ttp_transition(sk, TTP_EV_RCV_ICMP);
	ttp_set_error_and_done(sk, err);
}

/**
 * ttp_v4_err() - an ICMP error arrived for a TTP segment
 * @skb: the ICMP message, its data at the IP header it quotes
 * @info: the parameter of the error (the next-hop MTU of "fragmentation
 *	needed")
 *
 * The IP protocol's error handler: counted (TtpInIcmpErrors), then applied
 * to the connection the quoted header belongs to, if any.
 *
 * Return: 0, or -ENOENT when no connection has the quoted header's ports.
 */
int ttp_v4_err(struct sk_buff *skb, u32 info)
{
	const struct iphdr *iph = (const struct iphdr *)skb->data;
	const struct ttphdr *th;
	struct net *net = dev_net(skb->dev);
	struct sock *sk;

	TTP_INC_STATS(net, TTP_MIB_INICMPERRORS);
	/* IP pulled the quoted header and its first eight bytes. */
	th = (const struct ttphdr *)(skb->data + (iph->ihl << 2));
	sk = ttp_lookup_established(net, iph->daddr, th->dest, iph->saddr,
				    th->source);
	if (!sk)
		return -ENOENT;
	bh_lock_sock(sk);
	ttp_icmp_sock(sk, icmp_hdr(skb)->type, icmp_hdr(skb)->code,
		      ntohl(th->seq), info);
	bh_unlock_sock(sk);
	sock_put(sk);
	return 0;
}
