// SPDX-License-Identifier: GPL-2.0-only
/*
 * Segments TTP sends.
 *
 * Data, SYN and FIN segments live in the socket's write queue until they
 * are acknowledged; what goes to IP is a clone of them with the header in
 * front (or a copy, if an earlier clone is still on its way: the header
 * space of the queued skb is shared by its clones).  ACKs and RSTs are
 * built on the spot.  Every segment is checksummed here, in full.
 */
#include <linux/siphash.h>
#include <linux/skbuff.h>
#include <net/ip.h>
#include <net/route.h>
#include <net/sock.h>

#include "ttp.h"

static siphash_aligned_key_t ttp_isn_key;

/*
 * Initial sequence numbers (RFC 6528): a keyed hash of the 4-tuple, which an
 * off-path host cannot compute, plus a clock that moves 1 every 64 ns, so
 * that a new incarnation of a 4-tuple starts beyond the old one.
 */
u32 ttp_isn(__be32 saddr, __be32 daddr, __be16 sport, __be16 dport)
{
	net_get_random_once(&ttp_isn_key, sizeof(ttp_isn_key));
	return siphash_3u32((__force u32)saddr, (__force u32)daddr,
			    ((u32)ntohs(sport) << 16) | ntohs(dport),
			    &ttp_isn_key) + (u32)(ktime_get_real_ns() >> 6);
}

/*
 * Largest payload the route lets a segment carry.  A segment is one linear
 * allocation (output.c builds them so); on a path with a huge MTU, such as
 * loopback's 64 KiB, it stops at what fits a 32 KiB allocation, as a larger
 * one would cost twice its size in socket memory.
 */
#define TTP_MAX_MSS	(SKB_WITH_OVERHEAD(32768) - TTP_MAX_HEADER)

u16 ttp_route_mss(struct sock *sk)
{
	struct dst_entry *dst = __sk_dst_get(sk);
	unsigned int mtu = dst ? dst_mtu(dst) : 576;
	int mss = mtu - sizeof(struct iphdr) - TTP_HDR_LEN;

	return clamp_t(int, mss, TTP_MIN_MSS, TTP_MAX_MSS);
}

/*
 * The receive window: the free receive buffer, less what skb overhead will
 * take of it (rcv_ratio, measured on what arrives, as TCP's scaling_ratio
 * is), never moving the right
 * edge to the left of one already advertised (RFC 793: no shrinking), and
 * a multiple of the scale unit.
 */
u32 ttp_select_window_peek(const struct sock *sk)
{
	const struct ttp_sock *tsk = ttp_sk(sk);
	int free = READ_ONCE(sk->sk_rcvbuf) - atomic_read(&sk->sk_rmem_alloc);
	u32 win = free > 0 ? ((u64)free * tsk->rcv_ratio) >> 8 : 0;
	u32 edge = tsk->rcv_wup + tsk->rcv_wnd;
	u32 max = (u32)U16_MAX << tsk->rcv_wscale;

	if (ttp_seq_after(edge, tsk->rcv_nxt + win))
		win = edge - tsk->rcv_nxt;
	win = min(win, max);
	/* Rounding down would shrink a window that was kept. */
	if (tsk->rcv_wscale)
		win = ALIGN(win, 1U << tsk->rcv_wscale);
	return min(win, max);
}

static u32 ttp_select_window(struct sock *sk)
{
	struct ttp_sock *tsk = ttp_sk(sk);
	u32 win = ttp_select_window_peek(sk);

	tsk->rcv_wnd = win;
	tsk->rcv_wup = tsk->rcv_nxt;
	return win;
}

/* The shift that lets our largest possible buffer be advertised. */
u8 ttp_choose_wscale(const struct sock *sk)
{
	u32 space = max_t(u32, READ_ONCE(sk->sk_rcvbuf),
			  READ_ONCE(sysctl_rmem_max) * 2) / 2;
	u8 ws = 0;

	while (space > U16_MAX && ws < TTP_MAX_WSCALE) {
		space >>= 1;
		ws++;
	}
	return ws;
}

/* Options of our SYN or SYN+ACK. */
static void ttp_syn_options(struct sock *sk, struct ttp_opts *o, bool synack)
{
	struct ttp_sock *tsk = ttp_sk(sk);
	u16 mss = ttp_route_mss(sk);

	if (tsk->mss_clamp)
		mss = min(mss, tsk->mss_clamp);
	memset(o, 0, sizeof(*o));
	o->has_mss = 1;
	o->mss = mss;
	if (!synack || (tsk->opts & TTPI_OPT_WSCALE)) {
		if (!synack)
			tsk->rcv_wscale = ttp_choose_wscale(sk);
		o->has_wscale = 1;
		o->wscale = tsk->rcv_wscale;
	}
	o->has_csum = 1;
	/* A SYN offers algorithms; a SYN+ACK names the one chosen. */
	o->csum_mask = synack ? 1 << tsk->csum_algo : tsk->csum_offer;
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
	unsigned int optlen = 0;
	struct ttp_opts o;
	struct ttphdr *th;
	u32 win;

	if (flags & TTPF_SYN) {
		ttp_syn_options(sk, &o, flags & TTPF_ACK);
		optlen = ttp_options_len(&o);
	}
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
	if (optlen)
		ttp_write_options((u8 *)(th + 1), &o, optlen);
	ttp_csum_fill(skb, th, skb->len, inet->inet_saddr, inet->inet_daddr,
		      (flags & TTPF_SYN) ? TTP_CSUM_INET : tsk->csum_algo);
}

static int ttp_xmit(struct sock *sk, struct sk_buff *skb)
{
	int err;

	skb->protocol = htons(ETH_P_IP);
	skb->priority = READ_ONCE(sk->sk_priority);
	skb->mark = READ_ONCE(sk->sk_mark);
	TTP_INC_STATS(sock_net(sk), TTP_MIB_OUTSEGS);
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
	cb->sent = jiffies;
	return ttp_xmit(sk, out);
}

/* Append @skb, whose CB is filled, to the write queue. */
void ttp_queue_skb(struct sock *sk, struct sk_buff *skb)
{
	struct ttp_sock *tsk = ttp_sk(sk);

	__skb_queue_tail(&sk->sk_write_queue, skb);
	sk_wmem_queued_add(sk, skb->truesize);
	if (!tsk->send_head)
		tsk->send_head = skb;
}

/* Queue a segment that carries only a flag (SYN or FIN) and send it. */
static int ttp_queue_flag(struct sock *sk, u8 flag, gfp_t gfp)
{
	struct ttp_sock *tsk = ttp_sk(sk);
	struct sk_buff *skb = alloc_skb(TTP_MAX_HEADER, gfp);

	if (!skb)
		return -ENOBUFS;
	skb_reserve(skb, TTP_MAX_HEADER);
	TTP_SKB_CB(skb)->seq = tsk->write_seq;
	TTP_SKB_CB(skb)->end_seq = tsk->write_seq + 1;
	TTP_SKB_CB(skb)->flags = flag;
	TTP_SKB_CB(skb)->retrans = 0;
	tsk->write_seq++;
	ttp_queue_skb(sk, skb);
	ttp_push(sk);
	return 0;
}

int ttp_send_syn(struct sock *sk)
{
	return ttp_queue_flag(sk, TTPF_SYN, sk->sk_allocation);
}

int ttp_send_synack(struct sock *sk)
{
	return ttp_queue_flag(sk, TTPF_SYN, GFP_ATOMIC);
}

/*
 * Our FIN.  It takes the sequence number after the last byte queued; if
 * the last queued segment is not sent yet, the flag rides on it.
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
	if (ttp_queue_flag(sk, TTPF_FIN, sk->sk_allocation)) {
		/* No memory for a FIN: the peer would wait forever. */
		ttp_send_active_rst(sk, GFP_ATOMIC);
		ttp_transition(sk, TTP_EV_ABORT);
		ttp_set_error_and_done(sk, ENOMEM);
	}
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

void ttp_send_ack(struct sock *sk)
{
	ttp_send_control(sk, TTPF_ACK, ttp_sk(sk)->snd_nxt, GFP_ATOMIC);
}

/* Abort a connection we hold: RST at our next sequence number. */
void ttp_send_active_rst(struct sock *sk, gfp_t gfp)
{
	if (ttp_state_in(sk, TTPF_STATE(TTP_CLOSED) | TTPF_STATE(TTP_LISTEN) |
			 TTPF_STATE(TTP_SYN_SENT)))
		return;
	ttp_send_control(sk, TTPF_RST | TTPF_ACK, ttp_sk(sk)->snd_nxt, gfp);
	TTP_INC_STATS(sock_net(sk), TTP_MIB_OUTRSTS);
}

/*
 * Answer a segment that has no connection with a RST (RFC 793 "Reset
 * Generation"): if it carried an ACK, the RST takes that number as its
 * sequence; otherwise it acknowledges the segment.  Never a RST for a RST.
 * Sent through the namespace's control socket, as no socket of ours exists.
 */
void ttp_send_reset_reply(struct net *net, struct sk_buff *in)
{
	struct ttp_net *tn = ttp_pernet(net);
	const struct ttphdr *th = (const struct ttphdr *)skb_transport_header(in);
	const struct iphdr *iph = ip_hdr(in);
	struct ttp_skb_cb *cb = TTP_SKB_CB(in);
	struct sk_buff *skb;
	struct ttphdr *rth;
	struct rtable *rt;
	struct flowi4 fl4;

	if (th->flags & TTPF_RST)
		return;

	rt = ip_route_output_ports(net, &fl4, NULL, iph->saddr, iph->daddr,
				   th->source, th->dest, ttp_ipproto, 0,
				   inet_iif(in));
	if (IS_ERR(rt))
		return;
	skb = alloc_skb(TTP_MAX_HEADER, GFP_ATOMIC);
	if (!skb) {
		ip_rt_put(rt);
		return;
	}
	skb_reserve(skb, TTP_MAX_HEADER);
	rth = skb_push(skb, TTP_HDR_LEN);
	skb_reset_transport_header(skb);
	memset(rth, 0, TTP_HDR_LEN);
	rth->source = th->dest;
	rth->dest = th->source;
	rth->ver_doff = (TTP_VERSION << 4) | (TTP_HDR_LEN / 4);
	if (th->flags & TTPF_ACK) {
		rth->seq = th->ack_seq;
		rth->flags = TTPF_RST;
	} else {
		rth->ack_seq = htonl(cb->end_seq);
		rth->flags = TTPF_RST | TTPF_ACK;
	}
	ttp_csum_fill(skb, rth, skb->len, iph->daddr, iph->saddr,
		      TTP_CSUM_INET);
	skb_dst_set(skb, &rt->dst);
	TTP_INC_STATS(net, TTP_MIB_OUTSEGS);
	TTP_INC_STATS(net, TTP_MIB_OUTRSTS);
	local_bh_disable();
	ip_build_and_send_pkt(skb, tn->ctl_sk, iph->daddr, iph->saddr, NULL, 0);
	local_bh_enable();
}

/*
 * Send what the write queue holds and the peer's window admits.  SYN and
 * FIN-only segments go regardless of the window: they carry no data.
 */
void ttp_push(struct sock *sk)
{
	struct ttp_sock *tsk = ttp_sk(sk);
	struct sk_buff *skb;

	while ((skb = tsk->send_head)) {
		struct ttp_skb_cb *cb = TTP_SKB_CB(skb);

		if (skb->len &&
		    ttp_seq_after(cb->seq + skb->len, tsk->snd_una + tsk->snd_wnd))
			break;	/* window full: the timer probes if it is 0 */
		if (ttp_transmit_queued(sk, skb))
			break;	/* no memory: the timer will try again */
		if (ttp_seq_after(cb->end_seq, tsk->snd_nxt))
			tsk->snd_nxt = cb->end_seq;
		tsk->send_head = skb_queue_is_last(&sk->sk_write_queue, skb) ?
				 NULL : skb_queue_next(&sk->sk_write_queue, skb);
	}
	if (!skb_queue_empty(&sk->sk_write_queue))
		ttp_arm_rtx(sk);
}

/* Does the peer's window leave no room for the oldest queued segment? */
bool ttp_window_closed(const struct sock *sk)
{
	const struct ttp_sock *tsk = ttp_sk(sk);
	struct sk_buff *skb = skb_peek(&sk->sk_write_queue);

	return skb && skb->len &&
	       ttp_seq_after(TTP_SKB_CB(skb)->seq + skb->len,
			     tsk->snd_una + tsk->snd_wnd);
}

/* Send send_head whatever the window: a zero-window probe. */
static int ttp_send_probe(struct sock *sk)
{
	struct ttp_sock *tsk = ttp_sk(sk);
	struct sk_buff *skb = tsk->send_head;
	int err = ttp_transmit_queued(sk, skb);

	if (err)
		return err;
	/* It is sent now: if the peer drops it, it is retransmitted. */
	tsk->snd_nxt = TTP_SKB_CB(skb)->end_seq;
	tsk->send_head = skb_queue_is_last(&sk->sk_write_queue, skb) ?
			 NULL : skb_queue_next(&sk->sk_write_queue, skb);
	return 0;
}

/* Send again the oldest unacknowledged segment (timer, recovery). */
int ttp_retransmit_head(struct sock *sk)
{
	struct sk_buff *skb = skb_peek(&sk->sk_write_queue);

	if (!skb)
		return 0;
	if (skb == ttp_sk(sk)->send_head)
		return ttp_send_probe(sk);	/* nothing in flight yet */
	/* Sent already: this sends it again, as a probe if need be. */
	TTP_SKB_CB(skb)->retrans++;
	TTP_INC_STATS(sock_net(sk), TTP_MIB_RETRANSSEGS);
	return ttp_transmit_queued(sk, skb);
}

/*
 * Loss recovery, go-back-N: a loss was detected (timer, or three duplicate
 * ACKs), and a TTP receiver keeps no out-of-order data, so everything in
 * flight after the lost segment was dropped too.  Resend all of it, as the
 * window allows, once; new data follows.
 */
void ttp_enter_recovery(struct sock *sk)
{
	struct ttp_sock *tsk = ttp_sk(sk);

	tsk->in_recovery = 1;
	tsk->recover = tsk->snd_nxt;
	tsk->rtx_seq = tsk->snd_una;
	ttp_recovery_xmit(sk);
}

void ttp_recovery_xmit(struct sock *sk)
{
	struct ttp_sock *tsk = ttp_sk(sk);
	struct sk_buff *skb;

	if (!tsk->in_recovery)
		return;
	skb_queue_walk(&sk->sk_write_queue, skb) {
		struct ttp_skb_cb *cb = TTP_SKB_CB(skb);

		if (skb == tsk->send_head ||
		    !ttp_seq_before(cb->seq, tsk->recover))
			break;
		if (ttp_seq_before(cb->seq, tsk->rtx_seq))
			continue;	/* resent in this round already */
		if (skb->len && ttp_seq_after(cb->seq + skb->len,
					      tsk->snd_una + tsk->snd_wnd))
			break;
		if (ttp_transmit_queued(sk, skb))
			break;
		cb->retrans++;
		TTP_INC_STATS(sock_net(sk), TTP_MIB_RETRANSSEGS);
		tsk->rtx_seq = cb->end_seq;
	}
}

/*
 * The peer acknowledged everything before @ack (snd_una < ack <= snd_nxt):
 * free the segments that are wholly acknowledged.
 */
void ttp_ack_update(struct sock *sk, u32 ack)
{
	struct ttp_sock *tsk = ttp_sk(sk);
	struct sk_buff *skb;

	while ((skb = skb_peek(&sk->sk_write_queue)) &&
	       skb != tsk->send_head &&
	       !ttp_seq_after(TTP_SKB_CB(skb)->end_seq, ack)) {
		__skb_unlink(skb, &sk->sk_write_queue);
		sk_wmem_queued_add(sk, -skb->truesize);
		kfree_skb(skb);
	}
	tsk->snd_una = ack;
	tsk->dupacks = 0;
	if (tsk->in_recovery && !ttp_seq_before(ack, tsk->recover))
		tsk->in_recovery = 0;
	else if (tsk->in_recovery && ttp_seq_before(tsk->rtx_seq, ack))
		tsk->rtx_seq = ack;
	tsk->retries = 0;
	tsk->rtx_start = 0;
	/* Progress ends any backoff (the RTT estimator will refine this). */
	tsk->rto = msecs_to_jiffies(READ_ONCE(ttp_pernet(sock_net(sk))->sysctl.rto_initial_ms));
	if (tsk->snd_una == tsk->snd_nxt && !tsk->send_head)
		sk_stop_timer(sk, &tsk->rtx_timer);
	else
		sk_reset_timer(sk, &tsk->rtx_timer, jiffies + tsk->rto);
	sk->sk_write_space(sk);
}
