// SPDX-License-Identifier: GPL-2.0-only
/*
 * What a TTP sender does with the ACKs it receives: free what they
 * acknowledge, measure the round trip, keep the SACK scoreboard, decide
 * what is lost, and move between the congestion states (ttpi_ca_state):
 *
 *   TTP_CA_OPEN      no loss suspected; the window grows (cc.c).
 *   TTP_CA_DISORDER  duplicate ACKs or SACK blocks arrived, not yet enough
 *                    to call a segment lost: reordering, or a loss.
 *   TTP_CA_RECOVERY  fast retransmit and fast recovery: a segment was
 *                    taken for lost (RFC 6675 with SACK, RFC 6582 without);
 *                    until everything sent before it is acknowledged
 *                    (snd_una reaches recover), the lost segments are sent
 *                    again as the halved window allows.
 *   TTP_CA_LOSS      the retransmission timer fired: everything in flight
 *                    not SACKed is taken for lost and sent again from a
 *                    window of one segment (slow start), until recover.
 *
 * Every segment in the write queue before send_head has been sent; its
 * scoreboard (ttp_skb_cb.sacked) says whether the peer SACKed it, whether
 * it is taken for lost and whether it was sent again.  sacked_out,
 * lost_out and retrans_out sum the sequence space of each, so that the
 * data in flight (RFC 6675 "pipe") is a subtraction, not a walk.
 *
 * All under the socket lock.
 */
#include <linux/jiffies.h>
#include <net/sock.h>
#include <kunit/visibility.h>

#include "trace.h"
#include "ttp.h"

static u32 ttp_seg_len(const struct sk_buff *skb)
{
	return TTP_SKB_CB(skb)->end_seq - TTP_SKB_CB(skb)->seq;
}

/* Take @len bytes of a segment marked @sacked out of the counters. */
static void ttp_uncount(struct ttp_sock *tsk, u8 sacked, u32 len)
{
	if (sacked & TTP_SACKED)
		tsk->sacked_out -= len;
	if (sacked & TTP_LOST)
		tsk->lost_out -= len;
	if (sacked & TTP_RETRANS)
		tsk->retrans_out -= len;
}

/* Leave the counters as if @skb had never been marked. */
static void ttp_unmark(struct ttp_sock *tsk, struct sk_buff *skb)
{
	ttp_uncount(tsk, TTP_SKB_CB(skb)->sacked, ttp_seg_len(skb));
	TTP_SKB_CB(skb)->sacked = 0;
}

static void ttp_mark_lost(struct ttp_sock *tsk, struct sk_buff *skb)
{
	struct ttp_skb_cb *cb = TTP_SKB_CB(skb);

	if (cb->sacked & (TTP_LOST | TTP_SACKED))
		return;
	cb->sacked |= TTP_LOST;
	tsk->lost_out += ttp_seg_len(skb);
}

/* The newest transmission known to have arrived (RFC 8985 RACK.xmit_ts). */
static void ttp_rack_advance(struct ttp_sock *tsk, const struct ttp_skb_cb *cb)
{
	if ((s32)(cb->sent_us - tsk->rack_us) > 0)
		tsk->rack_us = cb->sent_us;
}

/**
 * ttp_update_rto() - set the RTO from the round-trip estimate
 * @sk: the connection
 *
 * ttp_rtt_rto_us() with one jiffy for G, within net.ttp.rto_min_ms and
 * rto_max_ms; any backoff ends.
 */
void ttp_update_rto(struct sock *sk)
{
	struct ttp_sock *tsk = ttp_sk(sk);
	struct net *net = sock_net(sk);
	u32 us = ttp_rtt_rto_us(&tsk->rtt, jiffies_to_usecs(1),
				ttp_sysctl_rto_min_ms(net) * USEC_PER_MSEC,
				ttp_sysctl_rto_max_ms(net) * USEC_PER_MSEC);

	tsk->rto = usecs_to_jiffies(us);
}

/**
 * ttp_reset_rto() - end any backoff of the RTO
 * @sk: the connection
 *
 * The RTO from the round-trip estimate, or net.ttp.rto_initial_ms
 * without one (RFC 6298 2.1).
 */
void ttp_reset_rto(struct sock *sk)
{
	struct ttp_sock *tsk = ttp_sk(sk);

	if (tsk->rtt.srtt_us)
		ttp_update_rto(sk);
	else
		tsk->rto = msecs_to_jiffies(ttp_sysctl_rto_initial_ms(sock_net(sk)));
}

/*
 * The oldest segment is acknowledged in part, as happens when a large one
 * was cut into segments on its way: free what is acknowledged of it (what
 * the scoreboard says of the rest holds still).  Without memory to part
 * from a clone, it stays whole until the rest is acknowledged.
 */
static void ttp_ack_partial(struct sock *sk, u32 ack)
{
	struct ttp_sock *tsk = ttp_sk(sk);
	struct sk_buff *skb = skb_peek(&sk->sk_write_queue);
	struct ttp_skb_cb *cb;
	u32 n;

	if (!skb || skb == tsk->send_head)
		return;
	cb = TTP_SKB_CB(skb);
	n = ack - cb->seq;
	if (!ttp_seq_after(ack, cb->seq) || (cb->flags & TTPF_SYN) ||
	    n >= skb->len || ttp_trim_head(sk, skb, n))
		return;
	ttp_uncount(tsk, cb->sacked, n);
	tsk->bytes_acked += n;
}

/**
 * ttp_ack_update() - the peer acknowledged everything before @ack
 * @sk: the connection
 * @ack: the acknowledgment number, snd_una < @ack <= snd_nxt
 *
 * Free the segments wholly acknowledged, take a round-trip sample from the
 * newest of them, and restart the timer (RFC 6298 5.2, 5.3).
 *
 * Karn's rule holds for the ACK, not for each segment (as TCP's
 * FLAG_RETRANS_DATA_ACKED): an ACK that covers any data sent again gives
 * no sample at all.  Such an ACK was released by the retransmission, so a
 * segment sent once before it, held in the peer's out-of-order queue
 * until the hole was filled, would measure the whole wait for the
 * retransmission timer; fed back into the RTO, that wait locks it at its
 * maximum.  With timestamps, the echo in such an ACK names the
 * transmission it answers, and gives the sample instead if that is the
 * retransmission (timestamp.c).
 *
 * Return: the bytes newly acknowledged.
 */
u32 ttp_ack_update(struct sock *sk, u32 ack)
{
	struct ttp_sock *tsk = ttp_sk(sk);
	u32 acked = ack - tsk->snd_una;
	bool sample = false, resent = false;
	u32 sample_sent = 0, resent_sent = 0;
	struct sk_buff *skb;

	while ((skb = skb_peek(&sk->sk_write_queue)) &&
	       skb != tsk->send_head &&
	       !ttp_seq_after(TTP_SKB_CB(skb)->end_seq, ack)) {
		struct ttp_skb_cb *cb = TTP_SKB_CB(skb);

		if (cb->retrans) {
			/* The newest retransmission it covers. */
			if (!resent || (s32)(cb->sent_us - resent_sent) > 0)
				resent_sent = cb->sent_us;
			resent = true;
		} else if (!(cb->sacked & TTP_SACKED)) {
			sample = true;
			sample_sent = cb->sent_us;
		}
		if (!(cb->sacked & TTP_SACKED))
			ttp_rack_advance(tsk, cb);
		tsk->bytes_acked += skb->len;
		ttp_unmark(tsk, skb);
		__skb_unlink(skb, &sk->sk_write_queue);
		sk_wmem_queued_add(sk, -skb->truesize);
		kfree_skb(skb);
	}
	ttp_ack_partial(sk, ack);
	tsk->snd_una = ack;
	/* Something got through: forget what ICMP said (icmp.c). */
	WRITE_ONCE(sk->sk_err_soft, 0);
	tsk->dupacks = 0;
	tsk->retries = 0;
	tsk->rtx_start = 0;
	/* Without a sample of its own, the echo of a timestamp may say. */
	if (sample && !resent) {
		u32 us = ttp_clock_us() - sample_sent;

		ttp_rtt_sample(&tsk->rtt, us);
		trace_ttp_rtt(sk, us);
	} else {
		ttp_ts_rtt_sample(sk, resent ? ttp_clock_us() - resent_sent :
				  U32_MAX);
	}
	/* Progress ends the backoff (RFC 6298 5.7 keeps it only until a new
	 * sample: the one before is as good).
	 */
	if (tsk->rtt.srtt_us)
		ttp_update_rto(sk);
	if (tsk->snd_una == tsk->snd_nxt && !tsk->send_head)
		sk_stop_timer(sk, &tsk->rtx_timer);
	else
		sk_reset_timer(sk, &tsk->rtx_timer, jiffies + tsk->rto);
	ttp_sndbuf_expand(sk);
	sk->sk_write_space(sk);
	return acked;
}
EXPORT_SYMBOL_IF_KUNIT(ttp_ack_update);

/*
 * Does @skb lie wholly in block @b?  A segment of several MSS that a block
 * covers in part is cut where the block begins or ends (ttp_fragment()),
 * so that what the peer holds is marked and the rest is not: the part
 * before the block keeps @skb, the next turn of the walk finds the rest.
 * Without memory to cut, nothing of @skb is marked: it may be sent again
 * in vain, never taken for held when it is not.
 */
static bool ttp_sack_fit(struct sock *sk, struct sk_buff *skb,
			 const struct ttp_sack_block *b)
{
	struct ttp_skb_cb *cb = TTP_SKB_CB(skb);
	u32 n;

	if (!ttp_seq_before(cb->seq, b->end) ||
	    !ttp_seq_after(cb->end_seq, b->start))
		return false;	/* apart */
	if (ttp_seq_after(b->start, cb->seq)) {
		n = b->start - cb->seq;
		if (n < skb->len)
			ttp_fragment(sk, skb, n, GFP_ATOMIC);
		return false;
	}
	if (!ttp_seq_after(cb->end_seq, b->end))
		return true;
	n = b->end - cb->seq;
	return n < skb->len && !ttp_fragment(sk, skb, n, GFP_ATOMIC);
}

/*
 * Mark what the SACK blocks of the segment being processed cover; returns
 * the bytes newly SACKed.  Blocks that do not lie within what is in flight
 * are ignored (D-SACK reports of duplicates included).
 */
static u32 ttp_sack_process(struct sock *sk, const u8 *opt,
			    const struct ttp_opts *o)
{
	struct ttp_sock *tsk = ttp_sk(sk);
	struct ttp_sack_block b[TTP_MAX_SACKS];
	u32 newly = 0, top = tsk->snd_una;
	unsigned int i, n = 0;
	struct sk_buff *skb;

	for (i = 0; i < o->num_sacks; i++) {
		ttp_read_sack(opt, o, i, &b[n]);
		if (!ttp_seq_before(b[n].start, b[n].end) ||
		    ttp_seq_before(b[n].start, tsk->snd_una) ||
		    ttp_seq_after(b[n].end, tsk->snd_nxt))
			continue;
		if (ttp_seq_after(b[n].end, top))
			top = b[n].end;
		n++;
	}
	if (!n)
		return 0;
	TTP_ADD_STATS(sock_net(sk), TTP_MIB_SACKBLOCKS, n);

	skb_queue_walk(&sk->sk_write_queue, skb) {
		struct ttp_skb_cb *cb = TTP_SKB_CB(skb);

		if (skb == tsk->send_head || !ttp_seq_before(cb->seq, top))
			break;
		if (cb->sacked & TTP_SACKED)
			continue;
		for (i = 0; i < n; i++) {
			if (!ttp_sack_fit(sk, skb, &b[i]))
				continue;
			ttp_rack_advance(tsk, cb);
			ttp_unmark(tsk, skb);
			cb->sacked = TTP_SACKED;
			tsk->sacked_out += ttp_seg_len(skb);
			newly += ttp_seg_len(skb);
			break;
		}
	}
	return newly;
}

/*
 * RFC 6675 IsLost(): a segment not SACKed is lost once more than
 * (DupThresh - 1) * MSS bytes above it are SACKed.  Walk from the oldest;
 * the bytes SACKed above only shrink on the way.
 */
static void ttp_sack_mark_lost(struct sock *sk)
{
	struct ttp_sock *tsk = ttp_sk(sk);
	u32 above = tsk->sacked_out;
	u32 thresh = (TTP_DUPTHRESH - 1) * tsk->mss;
	struct sk_buff *skb;

	skb_queue_walk(&sk->sk_write_queue, skb) {
		if (skb == tsk->send_head || above <= thresh)
			break;
		if (TTP_SKB_CB(skb)->sacked & TTP_SACKED)
			above -= ttp_seg_len(skb);
		else
			ttp_mark_lost(tsk, skb);
	}
}

/*
 * A segment sent again can be lost again.  Once something sent well after
 * that retransmission has arrived (a quarter of the round trip allows for
 * reordering), it is taken for lost once more and goes a third time,
 * without waiting for the timer: RFC 8985 (RACK) for retransmissions.
 */
static void ttp_rack_mark_lost(struct sock *sk)
{
	struct ttp_sock *tsk = ttp_sk(sk);
	u32 reo = max(tsk->rtt.srtt_us / 4, 1000U);
	struct sk_buff *skb;

	skb_queue_walk(&sk->sk_write_queue, skb) {
		struct ttp_skb_cb *cb = TTP_SKB_CB(skb);

		if (skb == tsk->send_head || !tsk->retrans_out)
			break;
		if (!(cb->sacked & TTP_RETRANS) ||
		    (s32)(tsk->rack_us - cb->sent_us) <= (s32)reo)
			continue;
		cb->sacked &= ~TTP_RETRANS;
		tsk->retrans_out -= ttp_seg_len(skb);
	}
}

/*
 * The oldest segment in flight is lost (three duplicate ACKs, NewReno): its
 * first MSS, if it holds several.
 */
static void ttp_mark_head_lost(struct sock *sk)
{
	struct ttp_sock *tsk = ttp_sk(sk);
	struct sk_buff *skb = skb_peek(&sk->sk_write_queue);

	if (!skb || skb == tsk->send_head)
		return;
	if (skb->len > tsk->mss && !(TTP_SKB_CB(skb)->sacked & TTP_LOST))
		ttp_fragment(sk, skb, tsk->mss, GFP_ATOMIC);
	ttp_mark_lost(tsk, skb);
}

static bool ttp_sack_on(const struct ttp_sock *tsk)
{
	return tsk->opts & TTPI_OPT_SACK;
}

/*
 * Fast retransmit: halve the window and recover (RFC 5681 3.2).  The caller
 * sends the first lost segment at once, whatever the window.
 */
static void ttp_enter_recovery(struct sock *sk)
{
	struct ttp_sock *tsk = ttp_sk(sk);

	ttp_cc_on_fast_retransmit(&tsk->cc, tsk->snd_nxt - tsk->snd_una,
				  tsk->mss);
	if (!ttp_sack_on(tsk))	/* the three segments that left (RFC 6582) */
		tsk->cc.cwnd += TTP_DUPTHRESH * tsk->mss;
	tsk->recover = tsk->snd_nxt;
	tsk->ca_state = TTP_CA_RECOVERY;
	TTP_INC_STATS(sock_net(sk), ttp_sack_on(tsk) ? TTP_MIB_SACKRECOVERY :
						     TTP_MIB_RENORECOVERY);
}

/**
 * ttp_loss_state() - ttp_enter_loss() short of sending
 * @sk: the connection, with data in flight
 *
 * Everything in flight not SACKed is taken for lost, a retransmission in
 * flight too, the window restarts at one segment, and the connection is in
 * TTP_CA_LOSS until snd_una reaches recover (RFC 5681 3.1).
 */
void ttp_loss_state(struct sock *sk)
{
	struct ttp_sock *tsk = ttp_sk(sk);
	struct sk_buff *skb;

	ttp_cc_on_timeout(&tsk->cc, tsk->snd_nxt - tsk->snd_una, tsk->mss);
	skb_queue_walk(&sk->sk_write_queue, skb) {
		struct ttp_skb_cb *cb = TTP_SKB_CB(skb);

		if (skb == tsk->send_head)
			break;
		if (cb->sacked & TTP_RETRANS) {
			cb->sacked &= ~TTP_RETRANS;
			tsk->retrans_out -= ttp_seg_len(skb);
		}
		ttp_mark_lost(tsk, skb);
	}
	tsk->recover = tsk->snd_nxt;
	tsk->ca_state = TTP_CA_LOSS;
	tsk->dupacks = 0;
}
EXPORT_SYMBOL_IF_KUNIT(ttp_loss_state);

/**
 * ttp_enter_loss() - the retransmission timer fired with data in flight
 * @sk: the connection
 *
 * Everything not SACKed is taken for lost, the window restarts at one
 * segment (ttp_loss_state()), and the oldest segment is sent again (RFC
 * 5681 3.1, RFC 6298 5.4).  The caller backs the timer off.
 */
void ttp_enter_loss(struct sock *sk)
{
	u32 cwnd = ttp_sk(sk)->cc.cwnd;

	ttp_loss_state(sk);
	if (ttp_sk(sk)->cc.cwnd != cwnd)
		trace_ttp_cwnd(sk, cwnd);
	ttp_retransmit_lost(sk, true);
}

/**
 * ttp_mtu_loss_state() - ttp_mtu_lost() short of sending
 * @sk: the connection, whose MSS path MTU discovery just lowered
 *
 * Takes the segments in flight longer than the MSS for lost (a
 * retransmission too; not what was SACKed), and an open connection to
 * TTP_CA_LOSS until snd_una reaches snd_nxt, with its window as it is.
 *
 * Return: true if a segment was taken for lost.
 */
bool ttp_mtu_loss_state(struct sock *sk)
{
	struct ttp_sock *tsk = ttp_sk(sk);
	struct sk_buff *skb;
	bool lost = false;

	skb_queue_walk(&sk->sk_write_queue, skb) {
		struct ttp_skb_cb *cb = TTP_SKB_CB(skb);

		if (skb == tsk->send_head)
			break;
		if (ttp_seg_len(skb) <= tsk->mss || (cb->sacked & TTP_SACKED))
			continue;
		if (cb->sacked & TTP_RETRANS) {
			cb->sacked &= ~TTP_RETRANS;
			tsk->retrans_out -= ttp_seg_len(skb);
		}
		ttp_mark_lost(tsk, skb);
		lost = true;
	}
	if (lost && (tsk->ca_state == TTP_CA_OPEN ||
		     tsk->ca_state == TTP_CA_DISORDER)) {
		tsk->recover = tsk->snd_nxt;
		tsk->ca_state = TTP_CA_LOSS;
	}
	return lost;
}
EXPORT_SYMBOL_IF_KUNIT(ttp_mtu_loss_state);

/**
 * ttp_mtu_lost() - the MSS went down: what no longer fits is lost
 * @sk: the connection, whose MSS path MTU discovery just lowered
 *
 * A router dropped every segment in flight longer than the new MSS: they
 * are taken for lost (ttp_mtu_loss_state()) and sent again, cut to the new
 * MSS, the first at once, the rest as the ACKs come.  This is no sign of
 * congestion: the window stays (RFC 1191; TCP's tcp_simple_retransmit()).
 */
void ttp_mtu_lost(struct sock *sk)
{
	if (ttp_mtu_loss_state(sk))
		ttp_retransmit_lost(sk, true);
}

/* The controller grows the window for @acked new bytes. */
static void ttp_cong_avoid(struct ttp_sock *tsk, u32 acked)
{
	struct ttp_cc_ack a = {
		.acked		= acked,
		.mss		= tsk->mss,
		.srtt_us	= tsk->rtt.srtt_us,
		.now_us		= ttp_clock_us(),
	};

	ttp_cc_cong_avoid(&tsk->cc, &a);
}

/**
 * ttp_ack_state() - ttp_ack_rcv() short of sending
 * @sk: the connection, in a synchronised state
 * @ack: the acknowledgment number, not after snd_nxt
 * @dup: it may be a duplicate ACK: no data, no FIN, the same window
 * @opt: the options area of the segment
 * @o: what ttp_parse_options() found in @opt
 *
 * Frees what @ack acknowledges, marks what the SACK blocks in @opt cover,
 * and moves between the congestion states.
 *
 * Return: true if the first segment taken for lost is to be sent again at
 * once, whatever the window: fast retransmit began, or a partial ACK
 * without SACK found the next hole.
 */
bool ttp_ack_state(struct sock *sk, u32 ack, bool dup, const u8 *opt,
		   const struct ttp_opts *o)
{
	struct ttp_sock *tsk = ttp_sk(sk);
	bool grow = tsk->cwnd_limited;
	u32 acked = 0, newly_sacked = 0;

	if (ttp_sack_on(tsk) && o->num_sacks)
		newly_sacked = ttp_sack_process(sk, opt, o);
	if (ttp_seq_after(ack, tsk->snd_una)) {
		acked = ttp_ack_update(sk, ack);
		tsk->cwnd_limited = 0;	/* ttp_push() says it again */
	} else if (dup && ack == tsk->snd_una && tsk->snd_una != tsk->snd_nxt &&
		 (newly_sacked || !ttp_sack_on(tsk)))
		tsk->dupacks = min_t(u32, tsk->dupacks + 1, U8_MAX);

	switch (tsk->ca_state) {
	case TTP_CA_RECOVERY:
		if (!ttp_seq_before(tsk->snd_una, tsk->recover)) {
			/* Everything sent before the loss arrived. */
			tsk->cc.cwnd = min(tsk->cc.ssthresh,
					   tsk->snd_nxt - tsk->snd_una +
					   tsk->mss);
			tsk->cc.cwnd = max(tsk->cc.cwnd, 2U * tsk->mss);
			tsk->ca_state = TTP_CA_OPEN;
			ttp_cc_event(&tsk->cc, TTP_CC_EV_RECOVERED);
			break;
		}
		if (ttp_sack_on(tsk)) {
			ttp_sack_mark_lost(sk);
			if (tsk->retrans_out)
				ttp_rack_mark_lost(sk);
		} else if (acked) {
			/* A partial ACK: the next hole is lost too. */
			tsk->cc.cwnd -= min(acked, tsk->cc.cwnd - tsk->mss);
			tsk->cc.cwnd += tsk->mss;
			ttp_mark_head_lost(sk);
			return true;
		} else if (tsk->dupacks > TTP_DUPTHRESH) {
			tsk->cc.cwnd += tsk->mss;	/* one more left */
		}
		return false;
	case TTP_CA_LOSS:
		if (acked)
			ttp_cong_avoid(tsk, acked);
		if (ttp_sack_on(tsk) && tsk->retrans_out)
			ttp_rack_mark_lost(sk);
		if (!ttp_seq_before(tsk->snd_una, tsk->recover)) {
			tsk->ca_state = TTP_CA_OPEN;
			ttp_cc_event(&tsk->cc, TTP_CC_EV_RECOVERED);
		}
		return false;
	}

	/* TTP_CA_OPEN, TTP_CA_DISORDER */
	if (acked && grow)
		ttp_cong_avoid(tsk, acked);
	if (ttp_sack_on(tsk) && tsk->sacked_out)
		ttp_sack_mark_lost(sk);
	if (tsk->dupacks >= TTP_DUPTHRESH)
		ttp_mark_head_lost(sk);
	if (tsk->lost_out) {
		ttp_enter_recovery(sk);
		return true;
	}
	tsk->ca_state = (tsk->dupacks || tsk->sacked_out) ? TTP_CA_DISORDER :
							      TTP_CA_OPEN;
	return false;
}
EXPORT_SYMBOL_IF_KUNIT(ttp_ack_state);

/**
 * ttp_ack_rcv() - process the acknowledgment of an acceptable segment
 * @sk: the connection, in a synchronised state
 * @ack: the acknowledgment number, not after snd_nxt
 * @dup: it may be a duplicate ACK: no data, no FIN, the same window
 * @opt: the options area of the segment
 * @o: what ttp_parse_options() found in @opt
 *
 * Frees what @ack acknowledges, marks what the SACK blocks in @opt cover,
 * and moves between the congestion states (ttp_ack_state()); on fast
 * retransmit, and on a partial ACK without SACK, the first lost segment
 * goes at once, whatever the window.  Sending what else the ACK allows is
 * left to the caller, once the window is updated too.
 */
void ttp_ack_rcv(struct sock *sk, u32 ack, bool dup, const u8 *opt,
		 const struct ttp_opts *o)
{
	u32 cwnd = ttp_sk(sk)->cc.cwnd;
	bool now = ttp_ack_state(sk, ack, dup, opt, o);

	if (ttp_sk(sk)->cc.cwnd != cwnd)
		trace_ttp_cwnd(sk, cwnd);
	if (now)
		ttp_retransmit_lost(sk, true);
}
