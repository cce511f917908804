// SPDX-License-Identifier: GPL-2.0-only
/*
 * Segments TTP sends.
 *
 * Data, SYN and FIN segments live in the socket's write queue until they
 * are acknowledged; what goes to IP is a clone of them with the header in
 * front (or a copy, if an earlier clone is still on its way: the header
 * space of the queued skb is shared by its clones).  ACKs and RSTs are
 * built on the spot.  A queued segment holds up to ttp_size_goal() bytes,
 * several MSS when large segments are on (offload.c); it is cut in two
 * (ttp_fragment()) where the windows, a SACK block or a loss call for a
 * smaller one.
 */
#include <linux/siphash.h>
#include <linux/skbuff.h>
#include <net/ip.h>
#include <net/route.h>
#include <net/sock.h>
#include <kunit/visibility.h>

#include "trace.h"
#include "auth.h"
#include "ttp.h"

static siphash_aligned_key_t ttp_isn_key;

/**
 * ttp_isn() - the initial sequence number of a connection
 * @saddr: its local address
 * @daddr: its remote address
 * @sport: its local port
 * @dport: its remote port
 *
 * RFC 6528: a keyed hash of the 4-tuple, which an off-path host cannot
 * compute, plus a clock that moves 1 every 64 ns, so that a new
 * incarnation of a 4-tuple starts beyond the old one.
 *
 * Return: the ISN.
 */
u32 ttp_isn(__be32 saddr, __be32 daddr, __be16 sport, __be16 dport)
{
	net_get_random_once(&ttp_isn_key, sizeof(ttp_isn_key));
	return siphash_3u32((__force u32)saddr, (__force u32)daddr,
			    ((u32)ntohs(sport) << 16) | ntohs(dport),
			    &ttp_isn_key) + (u32)(ktime_get_real_ns() >> 6);
}

/**
 * ttp_init_snd_seq() - start the send sequence space at @iss
 * @sk: a connection about to send its SYN or SYN+ACK
 * @iss: its initial sequence number, ttp_isn() or a SYN cookie
 *
 * Nothing is sent, acknowledged or queued yet.
 */
void ttp_init_snd_seq(struct sock *sk, u32 iss)
{
	struct ttp_sock *tsk = ttp_sk(sk);

	tsk->iss = iss;
	tsk->snd_una = iss;
	tsk->snd_nxt = iss;
	tsk->write_seq = iss;
	tsk->snd_sml = iss;
	tsk->held_since = 0;
}

/*
 * The checksum of a segment about to go (checksum.c says who computes it).
 * Data of more than one MSS goes as a large segment: GSO, typed and
 * counted here, cut by ttp_gso_segment() if the device cannot carry it.
 * The skb's shared info may be the queued skb's (a clone): what is written
 * there holds for the next transmission too, so every field is set.
 */
static void ttp_header_csum(struct sock *sk, struct sk_buff *skb,
			    struct ttphdr *th, u8 algo)
{
	struct skb_shared_info *shinfo = skb_shinfo(skb);
	struct inet_sock *inet = inet_sk(sk);
	unsigned int mss = ttp_sk(sk)->mss;
	unsigned int data = skb->len - ttp_hdr_len(th);
	const struct dst_entry *dst;

	if (data > mss) {
		shinfo->gso_size = mss;
		shinfo->gso_segs = DIV_ROUND_UP(data, mss);
		shinfo->gso_type = SKB_GSO_SCTP;
		ttp_csum_offload(skb, th, skb->len, inet->inet_saddr,
				 inet->inet_daddr, algo);
		TTP_INC_STATS(sock_net(sk), TTP_MIB_OUTLARGESEGS);
		return;
	}
	shinfo->gso_size = 0;
	shinfo->gso_segs = 0;
	shinfo->gso_type = 0;
	dst = __sk_dst_get(sk);
	if (algo == TTP_CSUM_INET && dst &&
	    (dst->dev->features & NETIF_F_HW_CSUM))
		ttp_csum_offload(skb, th, skb->len, inet->inet_saddr,
				 inet->inet_daddr, algo);
	else
		ttp_csum_fill(skb, th, skb->len, inet->inet_saddr,
			      inet->inet_daddr, algo);
}

/*
 * Put the TTP header on @skb, whose data is the payload, and checksum it.
 * @seq: its first sequence number; @flags: TTPF_*; SYN segments carry the
 * handshake options.
 */
static void ttp_build_header(struct sock *sk, struct sk_buff *skb, u32 seq,
			     u8 flags)
{
	struct ttp_sock *tsk = ttp_sk(sk);
	struct inet_sock *inet = inet_sk(sk);
	struct ttp_sack_block sacks[TTP_MAX_SACKS];
	unsigned int optlen = 0, nsacks = 0, tslen = 0, authlen = 0;
	struct ttp_opts o;
	struct ttphdr *th;
	u8 algo;
	u32 win;

	/* After the SYN, every segment of a timestamped connection. */
	if (!(flags & TTPF_SYN) && ttp_ts_on(tsk))
		tslen = TTP_TS_SPACE;
	/* A connection that signs, every segment, the SYN included. */
	if (tsk->auth_on)
		authlen = TTP_AUTH_SPACE;
	if (flags & TTPF_SYN) {
		ttp_syn_options(sk, &o, flags & TTPF_ACK);
		optlen = ttp_options_len(&o);
	} else if ((flags & (TTPF_ACK | TTPF_RST)) == TTPF_ACK &&
		   (tsk->opts & TTPI_OPT_SACK) &&
		   !skb_queue_empty(&tsk->ofo_queue) &&
		   skb->len + TTP_SACK_SPACE(1) <= tsk->mss) {
		/*
		 * What we hold beyond a hole (RFC 2018), in as many blocks as
		 * fit: the MSS is what the path carries after the header and
		 * the timestamps, and a full data segment has no room left.
		 */
		nsacks = ttp_sack_blocks(sk, sacks);
		nsacks = min(nsacks, (tsk->mss - skb->len - TTP_SACK_SPACE(0)) /
				     TTPOLEN_SACK_BLOCK);
		if (tslen)
			nsacks = min_t(unsigned int, nsacks, TTP_MAX_SACKS_TS);
		/* Beside the AUTH option, what room is left. */
		if (authlen)
			nsacks = min_t(unsigned int, nsacks,
				       (TTP_MAX_OPT_LEN - tslen - authlen -
					TTP_SACK_SPACE(0)) / TTPOLEN_SACK_BLOCK);
		optlen = nsacks ? TTP_SACK_SPACE(nsacks) : 0;
	}
	optlen += tslen + authlen;
	/* Whatever waited for an ACK has one now. */
	if (flags & TTPF_ACK)
		tsk->ack_pending = 0;
	th = skb_push(skb, TTP_HDR_LEN + optlen);
	skb_reset_transport_header(skb);
	th->source = inet->inet_sport;
	th->dest = inet->inet_dport;
	th->seq = htonl(seq);
	th->ack_seq = htonl((flags & TTPF_ACK) ? tsk->rcv_nxt : 0);
	th->ver_doff = (TTP_VERSION << 4) | ((TTP_HDR_LEN + optlen) / 4);
	th->flags = flags;
	win = ttp_select_window(sk);
	/* Windows in SYNs are never scaled (the scale is not agreed yet). */
	if (flags & TTPF_SYN) {
		win = min_t(u32, win, U16_MAX);
		tsk->rcv_wnd = win;	/* what the peer was told */
		th->window = htons(win);
	} else {
		th->window = htons(win >> tsk->rcv_wscale);
	}
	if (tslen)
		ttp_write_ts((u8 *)(th + 1), ttp_ts_now(tsk), tsk->ts_recent);
	if (nsacks)
		ttp_write_sack((u8 *)(th + 1) + tslen, sacks, nsacks);
	else if (optlen > tslen + authlen)
		ttp_write_options((u8 *)(th + 1), &o, optlen - authlen);
	algo = (flags & TTPF_SYN) ? TTP_CSUM_INET : tsk->csum_algo;
	if (authlen) {
		/* The MAC covers the flags: TTPF_CRC is set before it. */
		if (algo == TTP_CSUM_CRC32C)
			th->flags |= TTPF_CRC;
		ttp_auth_sign(sk, skb, th, TTP_HDR_LEN + optlen - authlen);
	}
	ttp_header_csum(sk, skb, th, algo);
}

static int ttp_xmit(struct sock *sk, struct sk_buff *skb)
{
	int err;

	trace_ttp_send(sk, skb, inet_sk(sk)->inet_saddr,
		       inet_sk(sk)->inet_daddr,
		       skb->len - ttp_hdr_len((struct ttphdr *)
					      skb_transport_header(skb)));
	skb->protocol = htons(ETH_P_IP);
	skb->priority = READ_ONCE(sk->sk_priority);
	skb->mark = READ_ONCE(sk->sk_mark);
	/* Segments, as they will be on the wire: a large one counts them. */
	TTP_ADD_STATS(sock_net(sk), TTP_MIB_OUTSEGS,
		      skb_is_gso(skb) ? skb_shinfo(skb)->gso_segs : 1);
	err = ip_queue_xmit(sk, skb, &inet_sk(sk)->cork.fl);
	return net_xmit_eval(err);
}

/* Send the queued segment @skb (a clone of it, or a copy). */
static int ttp_transmit_queued(struct sock *sk, struct sk_buff *skb)
{
	struct ttp_skb_cb *cb = TTP_SKB_CB(skb);
	struct sk_buff *out;
	u8 flags = TTPF_ACK;

	if (unlikely(skb_cloned(skb)))
		out = pskb_copy(skb, GFP_ATOMIC);
	else
		out = skb_clone(skb, GFP_ATOMIC);
	if (!out)
		return -ENOBUFS;

	flags |= cb->flags;
	/* A client's SYN acknowledges nothing. */
	if ((cb->flags & TTPF_SYN) && sk->sk_state == TTP_SYN_SENT)
		flags &= ~TTPF_ACK;
	if (out->len && !(cb->flags & TTPF_SYN))
		flags |= TTPF_PSH;
	skb_set_owner_w(out, sk);
	ttp_build_header(sk, out, cb->seq, flags);
	cb->sent_us = ttp_clock_us();
	return ttp_xmit(sk, out);
}

/**
 * ttp_queue_alloc() - a new segment at the tail of the write queue
 * @sk: the connection
 * @size: room for this much data
 * @flag: TTPF_SYN or TTPF_FIN for a segment of that flag alone, else 0
 * @gfp: how to allocate it
 *
 * The segment starts at write_seq, empty; a @flag takes one sequence
 * number, and write_seq moves past it.  Sending it is left to the caller.
 *
 * Return: the segment, or NULL without memory.
 */
struct sk_buff *ttp_queue_alloc(struct sock *sk, unsigned int size, u8 flag,
				gfp_t gfp)
{
	struct ttp_sock *tsk = ttp_sk(sk);
	struct sk_buff *skb = alloc_skb(TTP_MAX_HEADER + size, gfp);
	struct ttp_skb_cb *cb;

	if (!skb)
		return NULL;
	skb_reserve(skb, TTP_MAX_HEADER);
	cb = TTP_SKB_CB(skb);
	cb->seq = tsk->write_seq;
	cb->end_seq = tsk->write_seq;
	cb->flags = flag;
	cb->retrans = 0;
	cb->sacked = 0;
	if (flag) {
		cb->end_seq++;
		tsk->write_seq++;
	}
	/* Charged to @sk; send_head if nothing else waits to be sent. */
	__skb_queue_tail(&sk->sk_write_queue, skb);
	sk_wmem_queued_add(sk, skb->truesize);
	if (!tsk->send_head)
		tsk->send_head = skb;
	return skb;
}

/**
 * ttp_size_goal() - how much data one queued segment may hold
 * @sk: the connection
 *
 * As many MSS as a large segment to the route's device may carry
 * (sk_setup_caps() set the bounds), when net.ttp.gso allows and the device
 * takes data in page fragments; else one MSS.
 *
 * Return: the size in bytes, a multiple of the MSS.
 */
unsigned int ttp_size_goal(struct sock *sk)
{
	unsigned int mss = ttp_sk(sk)->mss, segs;

	/* Each segment of a connection that signs has a MAC of its own. */
	if (ttp_sk(sk)->auth_on || !ttp_sysctl_gso(sock_net(sk)) ||
	    !sk_can_gso(sk) ||
	    !(sk->sk_route_caps & NETIF_F_SG))
		return mss;
	segs = min_t(unsigned int, READ_ONCE(sk->sk_gso_max_size) / mss,
		     READ_ONCE(sk->sk_gso_max_segs));
	return max(segs, 1U) * mss;
}

/*
 * Part a queued segment from the clones that share its header and list of
 * fragments, at the truesize the socket was charged for it (a new head may
 * be allocated larger; the charge must come back as it went).
 */
static int ttp_unclone(struct sk_buff *skb, gfp_t gfp)
{
	unsigned int truesize = skb->truesize;

	if (skb_unclone(skb, gfp))
		return -ENOMEM;
	skb->truesize = truesize;
	return 0;
}

/**
 * ttp_fragment() - cut a queued data segment in two
 * @sk: the connection
 * @skb: the segment, in the write queue
 * @len: the data the first part keeps: 0 < @len < skb->len
 * @gfp: how to allocate the second part
 *
 * The second part follows @skb in the queue with the rest of the data and
 * the FIN, if any.  Both keep what the scoreboard says of @skb and when it
 * was sent, so the scoreboard's sums stay right.
 *
 * Return: 0, -EINVAL for a @len outside the data, or -ENOMEM.
 */
int ttp_fragment(struct sock *sk, struct sk_buff *skb, u32 len, gfp_t gfp)
{
	struct ttp_skb_cb *cb = TTP_SKB_CB(skb), *ncb;
	unsigned int head = skb_headlen(skb) > len ? skb_headlen(skb) - len : 0;
	unsigned int moved = skb->len - len;
	struct sk_buff *n;

	if (!len || len >= skb->len || (cb->flags & TTPF_SYN))
		return -EINVAL;
	/* A clone on its way shares the fragments' list: take our own. */
	if (ttp_unclone(skb, gfp))
		return -ENOMEM;
	n = alloc_skb(TTP_MAX_HEADER + head, gfp);
	if (!n)
		return -ENOMEM;
	skb_reserve(n, TTP_MAX_HEADER);
	sk_wmem_queued_add(sk, n->truesize);
	skb_split(skb, n, len);
	/* The memory charged for the data moves with it. */
	skb->truesize -= moved;
	n->truesize += moved;

	ncb = TTP_SKB_CB(n);
	*ncb = *cb;
	ncb->seq = cb->seq + len;
	cb->end_seq = ncb->seq;
	cb->flags &= ~TTPF_FIN;
	__skb_queue_after(&sk->sk_write_queue, skb, n);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(ttp_fragment);

/**
 * ttp_trim_head() - drop acknowledged data from the front of a queued segment
 * @sk: the connection
 * @skb: the segment, the oldest in the write queue
 * @len: the bytes acknowledged: 0 < @len < skb->len
 *
 * In place, without copying: the linear part is pulled, whole page
 * fragments released, the first remaining one shortened.  Their memory is
 * uncharged.  The scoreboard's sums are the caller's.
 *
 * Return: 0, or -ENOMEM if a clone on its way had to be parted from.
 */
int ttp_trim_head(struct sock *sk, struct sk_buff *skb, u32 len)
{
	struct skb_shared_info *shinfo;
	unsigned int linear, eat, i, k = 0;

	if (ttp_unclone(skb, GFP_ATOMIC))
		return -ENOMEM;
	linear = min_t(unsigned int, len, skb_headlen(skb));
	__skb_pull(skb, linear);
	eat = len - linear;
	shinfo = skb_shinfo(skb);
	for (i = 0; i < shinfo->nr_frags; i++) {
		unsigned int size = skb_frag_size(&shinfo->frags[i]);

		if (eat >= size) {
			eat -= size;
			skb_frag_unref(skb, i);
			continue;
		}
		shinfo->frags[k] = shinfo->frags[i];
		if (eat) {
			skb_frag_off_add(&shinfo->frags[k], eat);
			skb_frag_size_sub(&shinfo->frags[k], eat);
			eat = 0;
		}
		k++;
	}
	shinfo->nr_frags = k;
	eat = len - linear;
	skb->data_len -= eat;
	skb->len -= eat;
	skb->truesize -= eat;
	sk_wmem_queued_add(sk, -(int)eat);
	TTP_SKB_CB(skb)->seq += len;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(ttp_trim_head);

/* Queue a segment that carries only a flag (SYN or FIN) and send it. */
static int ttp_queue_flag(struct sock *sk, u8 flag, gfp_t gfp)
{
	if (!ttp_queue_alloc(sk, 0, flag, gfp))
		return -ENOBUFS;
	ttp_push(sk);
	return 0;
}

/**
 * ttp_send_syn() - queue our SYN and send it
 * @sk: the connection, in SYN_SENT
 *
 * Return: 0, or -ENOBUFS if no skb could be allocated.  A SYN queued but
 * not sent is no error: the retransmission timer sends it.
 */
int ttp_send_syn(struct sock *sk)
{
	return ttp_queue_flag(sk, TTPF_SYN, sk->sk_allocation);
}

/**
 * ttp_send_synack() - queue a child's SYN+ACK and send it
 * @sk: the child, in SYN_RECV, under its lock (softirq)
 *
 * Return: 0, or -ENOBUFS if no skb could be allocated.  A SYN+ACK queued
 * but not sent is no error: the retransmission timer sends it.
 */
int ttp_send_synack(struct sock *sk)
{
	return ttp_queue_flag(sk, TTPF_SYN, GFP_ATOMIC);
}

/**
 * ttp_send_synack_for_syn() - answer the SYN of a simultaneous open
 * @sk: the connection, in SYN_RECV since its SYN_SENT took the peer's SYN
 *
 * Our SYN, queued, goes again, as a SYN+ACK now: in SYN_RECV it
 * acknowledges the peer's SYN and names the options chosen
 * (ttp_syn_options()).  Not a retransmission, nor counted as one, but the
 * SYN has now gone twice: the ACK that covers it may answer either, and
 * gives no round-trip sample (Karn).  A SYN never sent goes now.
 */
void ttp_send_synack_for_syn(struct sock *sk)
{
	struct sk_buff *skb = skb_peek(&sk->sk_write_queue);

	if (!skb || skb == ttp_sk(sk)->send_head) {
		ttp_push(sk);
		return;
	}
	/* Not sent now: the retransmission timer sends it. */
	if (!ttp_transmit_queued(sk, skb))
		TTP_SKB_CB(skb)->retrans = max_t(u8, TTP_SKB_CB(skb)->retrans, 1);
}

/**
 * ttp_send_fin() - queue our FIN and send it
 * @sk: the connection
 *
 * It takes the sequence number after the last byte queued; if the last
 * queued segment is not sent yet, the flag rides on it.  Without memory for
 * a FIN, the connection is reset instead (ENOMEM).
 */
void ttp_send_fin(struct sock *sk)
{
	struct ttp_sock *tsk = ttp_sk(sk);
	struct sk_buff *tail = skb_peek_tail(&sk->sk_write_queue);

	if (tail && tsk->send_head && !(TTP_SKB_CB(tail)->flags & TTPF_SYN)) {
		TTP_SKB_CB(tail)->flags |= TTPF_FIN;
		TTP_SKB_CB(tail)->end_seq++;
		tsk->write_seq++;
		ttp_push(sk);
		return;
	}
	/* No memory for a FIN: the peer would wait forever. */
	if (ttp_queue_flag(sk, TTPF_FIN, sk->sk_allocation))
		ttp_abort(sk, TTP_EV_ABORT, ENOMEM);
}

/* A segment with no data and no sequence space: ACK or RST. */
static void ttp_send_control(struct sock *sk, u8 flags, u32 seq, gfp_t gfp)
{
	struct sk_buff *skb = alloc_skb(TTP_MAX_HEADER, gfp);

	if (!skb)
		return;
	skb_reserve(skb, TTP_MAX_HEADER);
	skb_set_owner_w(skb, sk);
	ttp_build_header(sk, skb, seq, flags);
	ttp_xmit(sk, skb);
}

/**
 * ttp_send_ack() - send an ACK now
 * @sk: the connection
 *
 * At snd_nxt, with our window, and with SACK blocks while data waits
 * beyond a hole.  Nothing is sent if no skb can be allocated.
 */
void ttp_send_ack(struct sock *sk)
{
	ttp_send_control(sk, TTPF_ACK, ttp_sk(sk)->snd_nxt, GFP_ATOMIC);
}

/**
 * ttp_send_active_rst() - abort a connection we hold
 * @sk: the connection
 * @gfp: allocation flags for the segment
 *
 * RST at our next sequence number.  Nothing is sent in CLOSED, LISTEN,
 * SYN_SENT (the peer has no sequence number of ours to check it against)
 * or TIME_WAIT (the connection is over at both ends).
 */
void ttp_send_active_rst(struct sock *sk, gfp_t gfp)
{
	if (ttp_state_in(sk, TTP_STATEBIT(TTP_CLOSED) | TTP_STATEBIT(TTP_LISTEN) |
			 TTP_STATEBIT(TTP_SYN_SENT) | TTP_STATEBIT(TTP_TIME_WAIT)))
		return;
	ttp_send_control(sk, TTPF_RST | TTPF_ACK, ttp_sk(sk)->snd_nxt, gfp);
	TTP_INC_STATS(sock_net(sk), TTP_MIB_OUTRSTS);
}

/**
 * ttp_reply_route() - the route back to the sender of @in
 * @net: the namespace @in arrived in
 * @in: the segment to answer, its transport header set
 * @fl4: set to the flow of the reply
 *
 * For a reply without a socket (ttp_send_reply()).
 *
 * Return: the route, or an ERR_PTR().
 */
struct rtable *ttp_reply_route(struct net *net, struct sk_buff *in,
			       struct flowi4 *fl4)
{
	const struct ttphdr *th = (const struct ttphdr *)skb_transport_header(in);
	const struct iphdr *iph = ip_hdr(in);

	return ip_route_output_ports(net, fl4, NULL, iph->saddr, iph->daddr,
				     th->source, th->dest, ttp_ipproto, 0,
				     inet_iif(in));
}

/**
 * ttp_send_reply() - answer @in with a segment of no connection
 * @net: the namespace @in arrived in
 * @in: the segment answered, its transport header set
 * @rt: the route of the reply (ttp_reply_route()), consumed
 * @seq: the sequence number of the reply
 * @ack: its acknowledgment number
 * @flags: its TTPF_* flags
 * @window: its window field, as sent
 * @o: the options, or NULL
 * @key: the key to sign it with (a SYN cookie's SYN+ACK to a peer that
 *	signed its SYN), or NULL
 * @rnext: with @key, the key id to ask the peer for
 *
 * A RST, or the SYN+ACK of a SYN cookie, through the namespace's control
 * socket.  The Internet checksum, as the peer may not have agreed to
 * another.
 */
void ttp_send_reply(struct net *net, struct sk_buff *in, struct rtable *rt,
		    u32 seq, u32 ack, u8 flags, u16 window,
		    const struct ttp_opts *o, const struct ttp_auth_mkt *key,
		    u8 rnext)
{
	struct ttp_net *tn = ttp_pernet(net);
	const struct ttphdr *th = (const struct ttphdr *)skb_transport_header(in);
	const struct iphdr *iph = ip_hdr(in);
	unsigned int authlen = key ? TTP_AUTH_SPACE : 0;
	unsigned int optlen = (o ? ttp_options_len(o) : 0) + authlen;
	struct sk_buff *skb;
	struct ttphdr *rth;

	skb = alloc_skb(TTP_MAX_HEADER, GFP_ATOMIC);
	if (!skb) {
		ip_rt_put(rt);
		return;
	}
	skb_reserve(skb, TTP_MAX_HEADER);
	rth = skb_push(skb, TTP_HDR_LEN + optlen);
	skb_reset_transport_header(skb);
	memset(rth, 0, TTP_HDR_LEN);
	rth->source = th->dest;
	rth->dest = th->source;
	rth->seq = htonl(seq);
	rth->ack_seq = htonl(ack);
	rth->ver_doff = (TTP_VERSION << 4) | ((TTP_HDR_LEN + optlen) / 4);
	rth->flags = flags;
	rth->window = htons(window);
	if (optlen > authlen)
		ttp_write_options((u8 *)(rth + 1), o, optlen - authlen);
	if (key)
		ttp_auth_sign_reply(skb, rth, TTP_HDR_LEN + optlen - authlen,
				    key, rnext, iph->daddr, iph->saddr);
	ttp_csum_fill(skb, rth, skb->len, iph->daddr, iph->saddr,
		      TTP_CSUM_INET);
	skb_dst_set(skb, &rt->dst);
	TTP_INC_STATS(net, TTP_MIB_OUTSEGS);
	local_bh_disable();
	ip_build_and_send_pkt(skb, tn->ctl_sk, iph->daddr, iph->saddr, NULL, 0);
	local_bh_enable();
}

/**
 * ttp_send_reset_reply() - answer a segment that has no connection with a RST
 * @net: the namespace @in arrived in
 * @in: the segment, as ttp_v4_rcv() left it (transport header, end_seq)
 *
 * RFC 793 "Reset Generation": if it carried an ACK, the RST takes that
 * number as its sequence; otherwise it acknowledges the segment.  Never a
 * RST for a RST.  At most net.ttp.rst_limit a second (blind.c):
 * segments from forged addresses must not turn this host into a source of
 * floods.
 */
void ttp_send_reset_reply(struct net *net, struct sk_buff *in)
{
	const struct ttphdr *th = (const struct ttphdr *)skb_transport_header(in);
	struct ttp_net *tn = ttp_pernet(net);
	struct rtable *rt;
	struct flowi4 fl4;

	if (th->flags & TTPF_RST)
		return;
	if (!ttp_ratelimit_allow(&tn->rst_rl, ttp_sysctl_rst_limit(net))) {
		TTP_INC_STATS(net, TTP_MIB_OUTRSTSSKIPPED);
		return;
	}
	rt = ttp_reply_route(net, in, &fl4);
	if (IS_ERR(rt))
		return;
	TTP_INC_STATS(net, TTP_MIB_OUTRSTS);
	if (th->flags & TTPF_ACK)
		ttp_send_reply(net, in, rt, ntohl(th->ack_seq), 0, TTPF_RST, 0,
			       NULL, NULL, 0);
	else
		ttp_send_reply(net, in, rt, 0, TTP_SKB_CB(in)->end_seq,
			       TTPF_RST | TTPF_ACK, 0, NULL, NULL, 0);
}

/**
 * ttp_retransmit_lost() - send again the segments taken for lost
 * @sk: the connection
 * @force: send the first regardless of the congestion window
 *
 * Oldest first, those not sent again yet, while the congestion window has
 * room for them (RFC 6675 NextSeg() rule 1).  @force sends the first
 * regardless: fast retransmit, and the timer's retransmission.
 */
void ttp_retransmit_lost(struct sock *sk, bool force)
{
	struct ttp_sock *tsk = ttp_sk(sk);
	struct net *net = sock_net(sk);
	struct sk_buff *skb;

	skb_queue_walk(&sk->sk_write_queue, skb) {
		struct ttp_skb_cb *cb = TTP_SKB_CB(skb);
		u32 len = cb->end_seq - cb->seq;

		if (skb == tsk->send_head || tsk->lost_out <= tsk->retrans_out)
			break;
		if ((cb->sacked & (TTP_LOST | TTP_RETRANS)) != TTP_LOST)
			continue;
		/* What was lost goes again one MSS at a time. */
		if (skb->len > tsk->mss) {
			if (ttp_fragment(sk, skb, tsk->mss, GFP_ATOMIC))
				break;	/* no memory: the timer will try again */
			len = cb->end_seq - cb->seq;
		}
		if (!force && ttp_in_flight(tsk) + len > tsk->cc.cwnd)
			break;
		if (ttp_transmit_queued(sk, skb))
			break;	/* no memory: the timer will try again */
		force = false;
		cb->sacked |= TTP_RETRANS;
		tsk->retrans_out += len;
		if (cb->retrans < U8_MAX)
			cb->retrans++;
		trace_ttp_retransmit(sk, skb,
				     tsk->ca_state == TTP_CA_RECOVERY ?
				     TTP_RTX_RECOVERY : TTP_RTX_LOSS);
		tsk->total_retrans++;
		TTP_INC_STATS(net, TTP_MIB_RETRANSSEGS);
		if (tsk->ca_state == TTP_CA_RECOVERY)
			TTP_INC_STATS(net, TTP_MIB_FASTRETRANS);
	}
}

/*
 * A segment of several MSS goes as far as both windows reach, in whole MSS
 * (one at least, for the rules of ttp_push() to decide on); the rest waits
 * as a segment of its own.  Without memory to cut it, it waits whole.
 */
static void ttp_push_fit(struct sock *sk, struct sk_buff *skb)
{
	struct ttp_sock *tsk = ttp_sk(sk);
	u32 seq = TTP_SKB_CB(skb)->seq, edge = tsk->snd_una + tsk->snd_wnd;
	u32 flight = ttp_in_flight(tsk), room;

	room = ttp_seq_after(edge, seq) ? edge - seq : 0;
	room = min(room, tsk->cc.cwnd > flight ? tsk->cc.cwnd - flight : 0);
	room = max(rounddown(room, tsk->mss), tsk->mss);
	/* Signed segments go one MSS each (ttp_size_goal()). */
	if (tsk->auth_on)
		room = tsk->mss;
	if (room < skb->len)
		ttp_fragment(sk, skb, room, GFP_ATOMIC);
}

/**
 * ttp_nagle_hold() - does Nagle's algorithm or a cork hold a segment back?
 * @len: the data of the segment, at the tail of the write queue
 * @mss: a full segment's data
 * @nonagle: TTP_NAGLE_*
 * @snd_una: the oldest unacknowledged sequence number
 * @snd_nxt: the next one to send
 * @snd_sml: the end of the last partial segment sent
 *
 * TCP's tcp_nagle_check(): a partial segment waits while corked, and,
 * unless Nagle's algorithm is off, while an earlier partial segment is
 * unacknowledged.  That is Minshall's variant (tcp_minshall_check()), not
 * RFC 896's "while anything is unacknowledged": a message of a full
 * segment and a partial one goes at once, where RFC 896 would hold the
 * partial one until the full one is acknowledged, which a receiver that
 * acknowledges every second segment at once does only after delack_ms
 * (the stall of Nagle's algorithm against delayed ACKs).  Small writes
 * while a small segment is in flight still go as one segment.
 *
 * Return: true if the segment must wait.
 */
bool ttp_nagle_hold(u32 len, u32 mss, unsigned int nonagle, u32 snd_una,
		    u32 snd_nxt, u32 snd_sml)
{
	if ((nonagle & TTP_NAGLE_PUSH) || !len || len >= mss)
		return false;
	if (nonagle & TTP_NAGLE_CORK)
		return true;
	return !(nonagle & TTP_NAGLE_OFF) && snd_una != snd_nxt &&
	       ttp_seq_after(snd_sml, snd_una) &&
	       !ttp_seq_after(snd_sml, snd_nxt);
}
EXPORT_SYMBOL_IF_KUNIT(ttp_nagle_hold);

/**
 * ttp_nonagle() - the socket's own TTP_NAGLE_* (TTP_NODELAY, TTP_CORK)
 * @sk: the connection
 *
 * Return: TTP_NAGLE_OFF, TTP_NAGLE_CORK, both or neither.
 */
unsigned int ttp_nonagle(const struct sock *sk)
{
	const struct ttp_sock *tsk = ttp_sk(sk);

	return (tsk->nodelay ? TTP_NAGLE_OFF : 0) |
	       (tsk->cork ? TTP_NAGLE_CORK : 0);
}

/*
 * Must @skb, next to send, wait for more data (ttp_nagle_hold())?  Only
 * the last queued segment can be partial (sendmsg() fills it before it
 * queues another), and one that carries our FIN goes: nothing more will
 * fill it.  Of a large segment whose last MSS is partial, the whole MSS
 * go and the partial rest waits, a segment of its own (TCP's
 * tcp_mss_split_point()); without memory to cut it, it goes whole.
 */
static bool ttp_nagle_wait(struct sock *sk, struct sk_buff *skb,
			   unsigned int nonagle)
{
	struct ttp_sock *tsk = ttp_sk(sk);
	u32 part = skb->len % tsk->mss;

	if (!skb_queue_is_last(&sk->sk_write_queue, skb) ||
	    (TTP_SKB_CB(skb)->flags & TTPF_FIN) ||
	    !ttp_nagle_hold(part, tsk->mss, nonagle, tsk->snd_una,
			    tsk->snd_nxt, tsk->snd_sml))
		return false;
	if (skb->len == part)
		return true;
	ttp_fragment(sk, skb, skb->len - part, GFP_ATOMIC);
	return false;
}

/*
 * A cork (or MSG_MORE) holds data and nothing is in flight: no ACK will
 * come to send it, the retransmission timer does, TTP_CORK_MAX after the
 * hold began (TCP's probe timer, the 200 ms ceiling of TCP_CORK).
 */
static void ttp_arm_cork(struct sock *sk)
{
	struct ttp_sock *tsk = ttp_sk(sk);

	if (!tsk->held_since)
		tsk->held_since = jiffies ?: 1;
	sk_reset_timer(sk, &tsk->rtx_timer, tsk->held_since + TTP_CORK_MAX);
}

/**
 * __ttp_push() - send what the write queue holds as far as the windows admit
 * @sk: the connection
 * @nonagle: TTP_NAGLE_*: how a partial last segment is treated
 *
 * First what is lost, then new segments while both the peer's window (flow
 * control) and the congestion window have room, and Nagle's algorithm or
 * a cork does not hold the last one (ttp_nagle_hold()).  SYN and FIN-only
 * segments go regardless: they carry no data.  With nothing in flight and
 * a window open but narrower than the next segment, the segment goes
 * anyway: it starts inside the window, which the receiver accepts, and
 * waiting for a wider window could wait forever (the receiver's silly
 * window syndrome avoidance, RFC 1122 4.2.3.3, may never widen it).  The
 * retransmission timer runs while the queue holds anything.
 */
void __ttp_push(struct sock *sk, unsigned int nonagle)
{
	struct ttp_sock *tsk = ttp_sk(sk);
	struct sk_buff *skb;
	bool held = false;

	if (tsk->lost_out > tsk->retrans_out)
		ttp_retransmit_lost(sk, false);
	while ((skb = tsk->send_head)) {
		struct ttp_skb_cb *cb = TTP_SKB_CB(skb);
		bool idle = tsk->snd_una == tsk->snd_nxt;

		if (skb->len > tsk->mss)
			ttp_push_fit(sk, skb);
		if (skb->len) {
			if (ttp_nagle_wait(sk, skb, nonagle)) {
				held = true;
				break;
			}
			if (ttp_seq_after(cb->seq + skb->len,
					  tsk->snd_una + tsk->snd_wnd) &&
			    !(idle && tsk->snd_wnd && skb->len <= tsk->mss))
				break;	/* flow control; 0: the timer probes */
			if (!idle && ttp_in_flight(tsk) + skb->len >
				     tsk->cc.cwnd) {
				tsk->cwnd_limited = 1;
				break;
			}
		}
		if (ttp_transmit_queued(sk, skb))
			break;	/* no memory: the timer will try again */
		if (skb->len % tsk->mss)
			tsk->snd_sml = cb->end_seq;
		if (ttp_seq_after(cb->end_seq, tsk->snd_nxt))
			tsk->snd_nxt = cb->end_seq;
		tsk->send_head = skb_queue_is_last(&sk->sk_write_queue, skb) ?
				 NULL : skb_queue_next(&sk->sk_write_queue, skb);
	}
	if (held && tsk->snd_una == tsk->snd_nxt) {
		ttp_arm_cork(sk);
		return;
	}
	tsk->held_since = 0;
	if (!skb_queue_empty(&sk->sk_write_queue))
		ttp_arm_rtx(sk);
}

/**
 * ttp_push() - send what the write queue holds, as the socket's options say
 * @sk: the connection
 *
 * __ttp_push() with Nagle's algorithm and the cork as TTP_NODELAY and
 * TTP_CORK set them.
 */
void ttp_push(struct sock *sk)
{
	__ttp_push(sk, ttp_nonagle(sk));
}

/**
 * ttp_window_closed() - is the peer's window closed to the next segment?
 * @sk: the connection
 *
 * Return: true if nothing is in flight, the next segment holds data, and
 * the peer's window is zero: the persist timer's case.
 */
bool ttp_window_closed(const struct sock *sk)
{
	const struct ttp_sock *tsk = ttp_sk(sk);

	return tsk->send_head && tsk->snd_una == tsk->snd_nxt &&
	       tsk->send_head->len && !tsk->snd_wnd;
}
EXPORT_SYMBOL_IF_KUNIT(ttp_window_closed);

/* One byte of garbage at snd_una - 1, which the peer already has. */
static void ttp_send_old_byte(struct sock *sk)
{
	struct sk_buff *skb = alloc_skb(TTP_MAX_HEADER + 1, GFP_ATOMIC);

	if (!skb)
		return;
	skb_reserve(skb, TTP_MAX_HEADER);
	skb_put_zero(skb, 1);
	skb_set_owner_w(skb, sk);
	ttp_build_header(sk, skb, ttp_sk(sk)->snd_una - 1, TTPF_ACK);
	ttp_xmit(sk, skb);
}

/**
 * ttp_send_window_probe() - send a zero-window probe (RFC 1122 4.2.2.17)
 * @sk: the connection
 *
 * One byte the peer has already acknowledged, at snd_una - 1, which any
 * receiver answers with an ACK carrying its window, and none can take for
 * data.  It holds no sequence space, so that the real data waits in the
 * write queue for the window.
 */
void ttp_send_window_probe(struct sock *sk)
{
	TTP_INC_STATS(sock_net(sk), TTP_MIB_ZWPROBES);
	ttp_send_old_byte(sk);
}

/**
 * ttp_send_keepalive_probe() - ask a silent peer whether it is there
 * @sk: the connection, with nothing in flight
 *
 * The segment of a zero-window probe, one byte the peer already has: it
 * answers with an ACK (as it answers any old duplicate with data), and
 * takes nothing for data (RFC 1122 4.2.3.6 allows the byte; a bare ACK
 * would get no answer, input.c).
 */
void ttp_send_keepalive_probe(struct sock *sk)
{
	TTP_INC_STATS(sock_net(sk), TTP_MIB_KEEPALIVEPROBES);
	ttp_send_old_byte(sk);
}

/**
 * ttp_retransmit_head() - send again the oldest unacknowledged segment
 * @sk: the connection
 *
 * A SYN or a SYN+ACK.
 *
 * Return: 0 if it went, or if nothing sent is unacknowledged; else the
 * error of the transmission (-ENOBUFS without memory).
 */
int ttp_retransmit_head(struct sock *sk)
{
	struct sk_buff *skb = skb_peek(&sk->sk_write_queue);
	int err;

	if (!skb || skb == ttp_sk(sk)->send_head)
		return 0;
	err = ttp_transmit_queued(sk, skb);
	if (!err) {
		TTP_SKB_CB(skb)->retrans++;
		trace_ttp_retransmit(sk, skb, TTP_RTX_HANDSHAKE);
		ttp_sk(sk)->total_retrans++;
		TTP_INC_STATS(sock_net(sk), TTP_MIB_RETRANSSEGS);
	}
	return err;
}
