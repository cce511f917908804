// SPDX-License-Identifier: GPL-2.0-only
/*
 * The receiver: which segments the window accepts, what arrives in order
 * (to the receive queue) and after a hole (to the out-of-order queue, and
 * the SACK blocks that describe it), the window we advertise, and when we
 * acknowledge.  The sender's side of the same exchange is recovery.c.
 */
#include <kunit/visibility.h>
#include <linux/skbuff.h>
#include <net/sock.h>

#include "ttp.h"

/* ---- acceptability ---- */

/**
 * ttp_init_rcv_seq() - start the receive sequence space after the peer's SYN
 * @sk: the connection
 * @irs: the sequence number of the peer's SYN
 *
 * The next byte expected, and the first the process will read, is @irs + 1.
 */
void ttp_init_rcv_seq(struct sock *sk, u32 irs)
{
	struct ttp_sock *tsk = ttp_sk(sk);

	tsk->irs = irs;
	tsk->rcv_nxt = irs + 1;
	tsk->copied_seq = tsk->rcv_nxt;
	tsk->rcv_wup = tsk->rcv_nxt;
}

/**
 * ttp_seq_acceptable() - is a segment in the receive window?
 * @tsk: the connection
 * @seq: the segment's sequence number
 * @len: its length in sequence space (data, plus 1 for a FIN)
 *
 * RFC 793's four cases (Documentation/protocol.rst, "Segment
 * acceptability").
 * Return: true if the segment is acceptable.
 */
bool ttp_seq_acceptable(const struct ttp_sock *tsk, u32 seq, u32 len)
{
	u32 edge = tsk->rcv_wup + tsk->rcv_wnd;
	/* Data accepted whole may end past the edge: the window is 0 then. */
	u32 wnd = ttp_seq_after(edge, tsk->rcv_nxt) ? edge - tsk->rcv_nxt : 0;

	if (!len)
		return wnd ? ttp_seq_between(tsk->rcv_nxt, seq,
					     tsk->rcv_nxt + wnd - 1) :
			     seq == tsk->rcv_nxt;
	if (!wnd)
		return false;
	return ttp_seq_between(tsk->rcv_nxt, seq, tsk->rcv_nxt + wnd - 1) ||
	       ttp_seq_between(tsk->rcv_nxt, seq + len - 1,
			       tsk->rcv_nxt + wnd - 1);
}
EXPORT_SYMBOL_IF_KUNIT(ttp_seq_acceptable);

/* ---- the receive and out-of-order queues ---- */

/*
 * A small segment in a large buffer would be charged many times its size
 * against the receive buffer, and the window promised space for its data,
 * not for that: give it a buffer of its own size (TCP collapses its queue
 * for the same reason).  Returns the skb to queue: the copy, or @skb itself
 * if no memory could be had for a copy.
 */
static struct sk_buff *ttp_rcv_compact(struct sk_buff *skb)
{
	struct sk_buff *n;

	if (skb->truesize <= 2 * SKB_TRUESIZE(skb->len))
		return skb;
	n = alloc_skb(skb->len, GFP_ATOMIC);
	if (!n)
		return skb;
	if (skb_copy_bits(skb, 0, skb_put(n, skb->len), skb->len)) {
		kfree_skb(n);
		return skb;
	}
	memcpy(n->cb, skb->cb, sizeof(n->cb));
	consume_skb(skb);
	return n;
}

/* Charge @skb to the socket's receive buffer. */
static void ttp_rcv_own(struct sock *sk, struct sk_buff *skb)
{
	struct ttp_sock *tsk = ttp_sk(sk);

	/* How much of the memory charged is data: the window follows it. */
	tsk->rcv_ratio = clamp_t(u32, (tsk->rcv_ratio * 7 +
				       ((u64)skb->len << 8) / skb->truesize) / 8,
				 16, 256);
	skb_dst_drop(skb);
	skb_set_owner_r(skb, sk);
}

/*
 * Append @skb, charged already, which starts at or before rcv_nxt and ends
 * after it, to what the application reads.  The bytes before rcv_nxt, which
 * we have already, stay in it (they may lie in page fragments, where cutting
 * them would mean a copy): recvmsg() reads every skb from the sequence
 * number it has reached, and skips them.
 */
static void ttp_rcv_queue(struct sock *sk, struct sk_buff *skb)
{
	struct ttp_sock *tsk = ttp_sk(sk);
	struct ttp_skb_cb *cb = TTP_SKB_CB(skb);
	u32 end = cb->seq + skb->len;

	__skb_queue_tail(&sk->sk_receive_queue, skb);
	tsk->bytes_received += end - tsk->rcv_nxt;
	tsk->rcv_nxt = end;
}

/**
 * ttp_rcv_data() - queue in-order data for the application
 * @sk: the connection
 * @skb: data that starts at or before rcv_nxt and ends after it
 *
 * Possibly as a compact copy.  Either way @skb is consumed.
 * Return: false if it was dropped for want of room.
 */
bool ttp_rcv_data(struct sock *sk, struct sk_buff *skb)
{
	if (skb->truesize > 2 * SKB_TRUESIZE(skb->len) &&
	    atomic_read(&sk->sk_rmem_alloc) + SKB_TRUESIZE(skb->len) <=
	    (unsigned int)READ_ONCE(sk->sk_rcvbuf))
		skb = ttp_rcv_compact(skb);

	/*
	 * Data inside the window we advertised was promised room.  The window
	 * follows the measured overhead and normally keeps the socket under
	 * its receive buffer; when the estimate lags, take up to twice the
	 * buffer rather than drop what the peer was allowed to send.  Beyond
	 * that, drop: memory stays bounded whatever the peer does.  An empty
	 * receive queue takes the segment whatever its size, so that a buffer
	 * narrower than one segment still moves data: with nothing in flight
	 * the sender sends a segment wider than a narrow window (ttp_push()),
	 * and the bound grows by that one segment only.
	 */
	if (!skb_queue_empty(&sk->sk_receive_queue) &&
	    atomic_read(&sk->sk_rmem_alloc) + skb->truesize >
	    2U * READ_ONCE(sk->sk_rcvbuf)) {
		TTP_INC_STATS(sock_net(sk), TTP_MIB_RCVQDROP);
		kfree_skb(skb);
		return false;
	}
	ttp_rcv_own(sk, skb);
	ttp_rcv_queue(sk, skb);
	return true;
}

/**
 * ttp_ofo_queue() - keep data that arrived after a hole
 * @sk: the connection
 * @skb: data that starts after rcv_nxt
 *
 * In sequence order, in the out-of-order queue until the hole fills (the
 * sender learns of it by SACK).  Its memory is charged like the rest and
 * bounded by the receive buffer: past that, it is dropped, to be sent
 * again.  Consumes @skb.
 */
void ttp_ofo_queue(struct sock *sk, struct sk_buff *skb)
{
	struct ttp_sock *tsk = ttp_sk(sk);
	struct sk_buff_head *q = &tsk->ofo_queue;
	struct sk_buff *prev, *next;
	struct ttp_skb_cb *cb;

	tsk->rcv_ofo++;
	if (skb->truesize > 2 * SKB_TRUESIZE(skb->len))
		skb = ttp_rcv_compact(skb);
	if (atomic_read(&sk->sk_rmem_alloc) + skb->truesize >
	    (unsigned int)READ_ONCE(sk->sk_rcvbuf)) {
		TTP_INC_STATS(sock_net(sk), TTP_MIB_OFOSEGS);
		kfree_skb(skb);
		return;
	}
	cb = TTP_SKB_CB(skb);

	/* Segments mostly arrive in order after a hole: search from the end. */
	skb_queue_reverse_walk(q, prev) {
		if (!ttp_seq_after(TTP_SKB_CB(prev)->seq, cb->seq))
			break;
	}
	if (prev != (struct sk_buff *)q &&
	    !ttp_seq_after(cb->end_seq, TTP_SKB_CB(prev)->end_seq)) {
		TTP_INC_STATS(sock_net(sk), TTP_MIB_DUPSEGS);
		kfree_skb(skb);	/* we have all of it */
		return;
	}
	ttp_rcv_own(sk, skb);
	__skb_queue_after(q, prev, skb);
	/* What follows and lies wholly inside it is not needed any more. */
	while ((next = skb_peek_next(skb, q)) &&
	       !ttp_seq_after(TTP_SKB_CB(next)->end_seq, cb->end_seq)) {
		__skb_unlink(next, q);
		TTP_INC_STATS(sock_net(sk), TTP_MIB_DUPSEGS);
		kfree_skb(next);
	}
	tsk->ofo_last = cb->seq;
	TTP_INC_STATS(sock_net(sk), TTP_MIB_OFOQUEUED);
}

/**
 * ttp_ofo_drain() - move what the filled hole put in order to the receive queue
 * @sk: the connection
 *
 * The application is told of new data.  A FIN that is now next in sequence
 * ends the out-of-order queue (nothing can follow it); the caller takes it.
 * Return: true if the peer's FIN is next in sequence.
 */
bool ttp_ofo_drain(struct sock *sk)
{
	struct ttp_sock *tsk = ttp_sk(sk);
	bool data = false, fin = false;
	struct sk_buff *skb;

	while ((skb = skb_peek(&tsk->ofo_queue)) &&
	       !ttp_seq_after(TTP_SKB_CB(skb)->seq, tsk->rcv_nxt)) {
		struct ttp_skb_cb *cb = TTP_SKB_CB(skb);

		__skb_unlink(skb, &tsk->ofo_queue);
		if (!ttp_seq_after(cb->end_seq, tsk->rcv_nxt)) {
			kfree_skb(skb);	/* arrived in order meanwhile */
			continue;
		}
		fin = cb->flags & TTPF_FIN;
		if (skb->len > tsk->rcv_nxt - cb->seq) {
			ttp_rcv_queue(sk, skb);
			data = true;
		} else {
			kfree_skb(skb);	/* a FIN alone */
		}
		if (fin) {
			/* Nothing can follow a FIN. */
			__skb_queue_purge(&tsk->ofo_queue);
			break;
		}
	}
	if (data && !sock_flag(sk, SOCK_DEAD))
		sk->sk_data_ready(sk);
	return fin;
}

/*
 * A range of the out-of-order queue is complete: keep it among the highest
 * (@ring, the last TTP_MAX_SACKS of @nring), and in @first if it holds the
 * segment that arrived last.
 */
static void ttp_sack_close(const struct ttp_sock *tsk,
			   const struct ttp_sack_block *cur,
			   struct ttp_sack_block *ring, unsigned int *nring,
			   struct ttp_sack_block *first)
{
	if (!ttp_seq_before(tsk->ofo_last, cur->start) &&
	    ttp_seq_before(tsk->ofo_last, cur->end))
		*first = *cur;
	ring[(*nring)++ % TTP_MAX_SACKS] = *cur;
}

/**
 * ttp_sack_blocks() - the SACK blocks of an ACK (RFC 2018)
 * @sk: the connection
 * @b: room for TTP_MAX_SACKS blocks
 *
 * The out-of-order queue as ranges of contiguous data, the one holding the
 * segment that arrived last first, then the highest others.
 * Return: how many were written to @b, at most TTP_MAX_SACKS.
 */
unsigned int ttp_sack_blocks(const struct sock *sk, struct ttp_sack_block *b)
{
	const struct ttp_sock *tsk = ttp_sk(sk);
	struct ttp_sack_block ring[TTP_MAX_SACKS], cur = {}, first = {};
	unsigned int nring = 0, n = 0, kept, i;
	struct sk_buff *skb;
	bool have = false;

	b[0].start = 0;
	b[0].end = 0;
	skb_queue_walk(&tsk->ofo_queue, skb) {
		u32 seq = TTP_SKB_CB(skb)->seq, end = TTP_SKB_CB(skb)->end_seq;

		if (have && !ttp_seq_after(seq, cur.end)) {
			if (ttp_seq_after(end, cur.end))
				cur.end = end;
			continue;
		}
		if (have)
			ttp_sack_close(tsk, &cur, ring, &nring, &first);
		cur.start = seq;
		cur.end = end;
		have = true;
	}
	if (!have)
		return 0;
	ttp_sack_close(tsk, &cur, ring, &nring, &first);

	/* The block of the last arrival, wherever it lies (RFC 2018)... */
	if (first.start != first.end)
		b[n++] = first;
	/* ...then the others, highest first. */
	kept = min_t(unsigned int, nring, TTP_MAX_SACKS);
	for (i = 0; i < kept && n < TTP_MAX_SACKS; i++) {
		struct ttp_sack_block *r = &ring[(nring - 1 - i) % TTP_MAX_SACKS];

		if (n && r->start == b[0].start)
			continue;
		b[n++] = *r;
	}
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(ttp_sack_blocks);

/**
 * ttp_ack_schedule() - acknowledge in-order data, at once or soon
 * @sk: the connection
 * @segs: the segments it came in: a large segment (offload.c) counts as
 *	the segments it was made of
 *
 * Every second segment at once, a lone one within delack_ms, unless data
 * going out carries the ACK first.  A large segment is acknowledged at
 * once, as TCP acknowledges what GRO merged: one ACK for all of it.
 */
void ttp_ack_schedule(struct sock *sk, unsigned int segs)
{
	struct ttp_sock *tsk = ttp_sk(sk);

	tsk->ack_pending = min_t(unsigned int, tsk->ack_pending + segs, U8_MAX);
	if (tsk->ack_pending >= 2)
		ttp_send_ack(sk);
	else
		ttp_arm_delack(sk);
}

/* ---- the window, and acknowledging ---- */

/**
 * ttp_select_window_peek() - the receive window we would advertise now
 * @sk: the connection
 *
 * The free receive buffer, less what skb overhead will take of it
 * (rcv_ratio, measured on what arrives, as TCP's scaling_ratio is), at
 * most TTP_WINDOW_CLAMP, never moving the right edge to the left of one
 * already advertised (RFC 793: no shrinking), and a multiple of the scale
 * unit (rounded up: a clamp may be passed by less than one unit).
 * Return: the window in bytes.
 */
u32 ttp_select_window_peek(const struct sock *sk)
{
	const struct ttp_sock *tsk = ttp_sk(sk);
	int free = READ_ONCE(sk->sk_rcvbuf) - atomic_read(&sk->sk_rmem_alloc);
	u32 win = free > 0 ? ((u64)free * tsk->rcv_ratio) >> 8 : 0;
	u32 edge = tsk->rcv_wup + tsk->rcv_wnd;
	u32 max = (u32)U16_MAX << tsk->rcv_wscale;
	u32 clamp = READ_ONCE(tsk->window_clamp);

	if (clamp)
		win = min(win, clamp);	/* TTP_WINDOW_CLAMP */

	if (ttp_seq_after(edge, tsk->rcv_nxt + win))
		win = edge - tsk->rcv_nxt;
	win = min(win, max);
	/* Rounding down would shrink a window that was kept. */
	if (tsk->rcv_wscale)
		win = ALIGN(win, 1U << tsk->rcv_wscale);
	return min(win, max);
}
EXPORT_SYMBOL_IF_KUNIT(ttp_select_window_peek);

/**
 * ttp_select_window() - the window to advertise now, remembered as advertised
 * @sk: the connection
 *
 * Return: ttp_select_window_peek(), which becomes rcv_wnd from rcv_nxt.
 */
u32 ttp_select_window(struct sock *sk)
{
	struct ttp_sock *tsk = ttp_sk(sk);
	u32 win = ttp_select_window_peek(sk);

	tsk->rcv_wnd = win;
	tsk->rcv_wup = tsk->rcv_nxt;
	return win;
}

/**
 * ttp_cleanup_rbuf() - after the application read, a window update if it is worth one
 * @sk: the connection
 *
 * Tells the peer when the window opened by 2 MSS, or doubled.
 */
void ttp_cleanup_rbuf(struct sock *sk)
{
	struct ttp_sock *tsk = ttp_sk(sk);
	u32 right = tsk->rcv_wup + tsk->rcv_wnd;
	u32 now = tsk->rcv_nxt + ttp_select_window_peek(sk);

	if (!ttp_state_in(sk, TTP_STATEBIT(TTP_ESTABLISHED) |
			  TTP_STATEBIT(TTP_FIN_WAIT1) |
			  TTP_STATEBIT(TTP_FIN_WAIT2)))
		return;
	/* A window update is worth a segment once it grows by 2 MSS or
	 * doubles: the sender may be stalled on the old edge.
	 */
	if (ttp_seq_after(now, right) &&
	    (now - right >= 2U * tsk->mss || now - right >= tsk->rcv_wnd))
		ttp_send_ack(sk);
}

/* ---- buffer autotuning ---- */

/**
 * ttp_rcv_rtt_sample() - the round trip as the receiver sees it
 * @sk: the connection, data at hand that echoes one of our timestamps
 *
 * The echo in a data segment names the ACK of ours that released it: from
 * that ACK to this data is a round trip (TCP's tcp_rcv_rtt_measure_ts()).
 * Smoothed by an eighth; a smaller sample is taken at once, since queues
 * only ever make samples longer.
 */
void ttp_rcv_rtt_sample(struct sock *sk)
{
	struct ttp_sock *tsk = ttp_sk(sk);
	u32 us;

	if (!ttp_ts_on(tsk) || !tsk->rx_tsecr)
		return;
	us = ttp_ts_rtt_us(ttp_ts_now(tsk), tsk->rx_tsecr,
			   ttp_sysctl_rto_max_ms(sock_net(sk)));
	if (!us)
		return;
	if (!tsk->rcv_rtt_us || us < tsk->rcv_rtt_us)
		tsk->rcv_rtt_us = us;
	else
		tsk->rcv_rtt_us = tsk->rcv_rtt_us - tsk->rcv_rtt_us / 8 + us / 8;
}

/**
 * ttp_rcv_space_adjust() - grow the receive buffer to what the peer sends
 * @sk: the connection, after the application read
 *
 * Once a round trip (the receiver's, or the sender's estimate; 10 ms
 * without either), the bytes read in it are compared with those of the
 * last: if the application reads more, the sender is limited by our window,
 * and the buffer grows to twice that, and more the faster it grew (TCP's
 * tcp_rcv_space_adjust()), so that the window stays ahead of the sender's
 * window through slow start.  Never beyond net.ttp.rcvbuf_max, and never
 * once SO_RCVBUF fixed the size.
 */
void ttp_rcv_space_adjust(struct sock *sk)
{
	struct ttp_sock *tsk = ttp_sk(sk);
	u32 now = ttp_clock_us(), rtt, copied;
	u64 want;

	rtt = tsk->rcv_rtt_us ?: tsk->rtt.srtt_us ?: 10 * USEC_PER_MSEC;
	if (!tsk->rcvq_us) {
		tsk->rcvq_us = now;
		tsk->rcvq_seq = tsk->copied_seq;
		return;
	}
	if (now - tsk->rcvq_us < rtt)
		return;
	copied = tsk->copied_seq - tsk->rcvq_seq;
	if (copied > tsk->rcvq_space) {
		if (!(sk->sk_userlocks & SOCK_RCVBUF_LOCK)) {
			want = 2ULL * copied + 16 * tsk->mss_agreed;
			if (tsk->rcvq_space)
				want += 2 * div_u64(want * (copied -
						   tsk->rcvq_space),
						   tsk->rcvq_space);
			/* In memory, with the overhead the window leaves. */
			want = div_u64(want << 8, tsk->rcv_ratio);
			want = min_t(u64, want,
				     ttp_sysctl_rcvbuf_max(sock_net(sk)));
			if (want > (u64)READ_ONCE(sk->sk_rcvbuf))
				WRITE_ONCE(sk->sk_rcvbuf, (int)want);
		}
		tsk->rcvq_space = copied;
	}
	tsk->rcvq_us = now;
	tsk->rcvq_seq = tsk->copied_seq;
}

/**
 * ttp_sndbuf_expand() - room in the send buffer for what the window sends
 * @sk: the connection, after an ACK
 *
 * Data in flight stays queued until acknowledged, so the window can open
 * only as far as the send buffer holds: let it hold twice the congestion
 * window, in memory, and a little more for what the process writes
 * meanwhile (TCP's tcp_sndbuf_expand()), up to net.ttp.sndbuf_max, unless
 * SO_SNDBUF fixed the size.
 */
void ttp_sndbuf_expand(struct sock *sk)
{
	struct ttp_sock *tsk = ttp_sk(sk);
	u64 want;

	if (sk->sk_userlocks & SOCK_SNDBUF_LOCK)
		return;
	/* A queued MSS of data costs its skb's share too. */
	want = div_u64((u64)tsk->cc.cwnd * SKB_TRUESIZE(tsk->mss), tsk->mss);
	want = 2 * want + 4 * SKB_TRUESIZE(tsk->mss);
	want = min_t(u64, want, ttp_sysctl_sndbuf_max(sock_net(sk)));
	if (want > (u64)READ_ONCE(sk->sk_sndbuf))
		WRITE_ONCE(sk->sk_sndbuf, (int)want);
}
