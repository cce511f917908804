// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the write queue's large segments (output.c, recovery.c):
 * a queued segment of several MSS is cut in two with its data, FIN and
 * scoreboard (ttp_fragment()), trimmed in place when acknowledged in part
 * (ttp_trim_head()), cut where a SACK block begins and ends, and cut to
 * one MSS when NewReno takes its head for lost.  The segments hold real
 * data, in page fragments as ttp_sendmsg() makes them, whose bytes are
 * checked after each cut.  Part of ttp_kunit.ko (kunit.c).
 *
 * Each case names the mutation it catches.
 */
#include <linux/mm.h>
#include <linux/skbuff.h>

#include "recovery_test.h"

#define FRAG	1500U	/* bytes a page fragment holds here */

static u8 pattern(u32 off)
{
	return off * 7 + (off >> 8);
}

/*
 * A segment of @len bytes of pattern() in page fragments of FRAG bytes,
 * queued at write_seq and sent (in flight).
 */
static struct sk_buff *send_data(struct kunit *test, struct ttp_sock *tsk,
				 u32 len)
{
	struct sock *sk = &tsk->inet.sk;
	struct sk_buff *skb = alloc_skb(0, GFP_KERNEL);
	struct ttp_skb_cb *cb;
	u32 off = 0, j;
	int i = 0;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	while (off < len) {
		struct page *page = alloc_page(GFP_KERNEL);
		u32 n = min(len - off, FRAG);
		u8 *v;

		if (!page)
			kfree_skb(skb);
		KUNIT_ASSERT_NOT_NULL(test, page);
		v = page_address(page);
		for (j = 0; j < n; j++)
			v[j] = pattern(off + j);
		skb_fill_page_desc(skb, i++, page, 0, n);
		skb->len += n;
		skb->data_len += n;
		skb->truesize += n;
		off += n;
	}
	cb = TTP_SKB_CB(skb);
	memset(cb, 0, sizeof(*cb));
	cb->seq = tsk->write_seq;
	cb->end_seq = tsk->write_seq + len;
	cb->sent_us = ttp_clock_us();
	__skb_queue_tail(&sk->sk_write_queue, skb);
	sk_wmem_queued_add(sk, skb->truesize);
	tsk->write_seq += len;
	tsk->snd_nxt = tsk->write_seq;
	return skb;
}

/* @skb holds the bytes of pattern() from offset @from of the stream. */
static void expect_data(struct kunit *test, struct sk_buff *skb, u32 from)
{
	u32 i;
	u8 b;

	for (i = 0; i < skb->len; i += 97) {
		KUNIT_ASSERT_EQ(test, skb_copy_bits(skb, i, &b, 1), 0);
		KUNIT_EXPECT_EQ(test, b, pattern(from + i));
	}
	KUNIT_ASSERT_EQ(test, skb_copy_bits(skb, skb->len - 1, &b, 1), 0);
	KUNIT_EXPECT_EQ(test, b, pattern(from + skb->len - 1));
}

static struct sk_buff *next_of(struct ttp_sock *tsk, struct sk_buff *skb)
{
	return skb_queue_is_last(&tsk->inet.sk.sk_write_queue, skb) ? NULL :
	       skb->next;
}

/*
 * Cut at one MSS: the first part keeps its start, the second has the rest
 * of the data and the FIN, both the scoreboard's marks and the time sent;
 * the memory charged grows by the new skb only.  Cuts outside the data
 * are refused.
 * Catches: the FIN left on the first part (its end_seq 1 too far, the
 * second's flags 0); the marks not copied (the second's 0); the data not
 * moved with the sequence numbers (the second's bytes from offset 0); the
 * charge of the moved data counted twice.
 */
static void fragment_moves_data_fin_and_marks(struct kunit *test)
{
	struct ttp_sock *tsk = test_sock(test, true, ISS);
	struct sock *sk = &tsk->inet.sk;
	struct sk_buff *a, *b;
	int queued, truesize;

	a = send_data(test, tsk, 3 * MSS);
	TTP_SKB_CB(a)->flags = TTPF_FIN;
	TTP_SKB_CB(a)->end_seq++;
	TTP_SKB_CB(a)->sacked = TTP_LOST;
	truesize = a->truesize;
	queued = sk->sk_wmem_queued;

	KUNIT_EXPECT_EQ(test, ttp_fragment(sk, a, 0, GFP_KERNEL), -EINVAL);
	KUNIT_EXPECT_EQ(test, ttp_fragment(sk, a, 3 * MSS, GFP_KERNEL),
			-EINVAL);
	KUNIT_ASSERT_EQ(test, ttp_fragment(sk, a, MSS, GFP_KERNEL), 0);
	b = next_of(tsk, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_EQ(test, a->len, MSS);
	KUNIT_EXPECT_EQ(test, b->len, 2 * MSS);
	KUNIT_EXPECT_EQ(test, seq_of(a), ISS);
	KUNIT_EXPECT_EQ(test, end_of(a), ISS + MSS);
	KUNIT_EXPECT_EQ(test, seq_of(b), ISS + MSS);
	KUNIT_EXPECT_EQ(test, end_of(b), ISS + 3 * MSS + 1);
	KUNIT_EXPECT_EQ(test, TTP_SKB_CB(a)->flags, (u8)0);
	KUNIT_EXPECT_EQ(test, TTP_SKB_CB(b)->flags, (u8)TTPF_FIN);
	KUNIT_EXPECT_EQ(test, marks(a), TTP_LOST);
	KUNIT_EXPECT_EQ(test, marks(b), TTP_LOST);
	KUNIT_EXPECT_EQ(test, TTP_SKB_CB(b)->sent_us, TTP_SKB_CB(a)->sent_us);
	expect_data(test, a, 0);
	expect_data(test, b, MSS);
	KUNIT_EXPECT_EQ(test, a->truesize + b->truesize,
			truesize + sk->sk_wmem_queued - queued);
}

/*
 * Trimming what was acknowledged: whole fragments go, the next is
 * shortened, nothing is copied, and the charge shrinks by the bytes.
 * Catches: a fragment shortened instead of released (nr_frags 2); the
 * offset not moved (bytes from offset 0); the charge kept.
 */
static void trim_head_drops_acked_bytes_in_place(struct kunit *test)
{
	struct ttp_sock *tsk = test_sock(test, true, ISS);
	struct sock *sk = &tsk->inet.sk;
	struct sk_buff *a = send_data(test, tsk, 2 * FRAG);
	int queued = sk->sk_wmem_queued;

	KUNIT_ASSERT_EQ(test, ttp_trim_head(sk, a, FRAG + 200), 0);
	KUNIT_EXPECT_EQ(test, a->len, FRAG - 200);
	KUNIT_EXPECT_EQ(test, a->data_len, FRAG - 200);
	KUNIT_EXPECT_EQ(test, skb_shinfo(a)->nr_frags, 1);
	KUNIT_EXPECT_EQ(test, seq_of(a), ISS + FRAG + 200);
	KUNIT_EXPECT_EQ(test, sk->sk_wmem_queued, queued - (int)(FRAG + 200));
	expect_data(test, a, FRAG + 200);
}

/*
 * A SACK block in the middle of a segment of four MSS marks exactly what
 * it covers: the segment is cut at both edges.
 * Catches: no cut (nothing SACKed: the segment is not wholly inside); a
 * cut at one edge only (the part SACKed holding 3 MSS).
 */
static void sack_block_cuts_a_large_segment(struct kunit *test)
{
	struct ttp_sock *tsk = test_sock(test, true, ISS);
	struct sk_buff *a, *b, *c;

	a = send_data(test, tsk, 4 * MSS);
	sack(test, tsk, ISS + MSS, ISS + 3 * MSS);
	b = next_of(tsk, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	c = next_of(tsk, b);
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_EQ(test, a->len, MSS);
	KUNIT_EXPECT_EQ(test, b->len, 2 * MSS);
	KUNIT_EXPECT_EQ(test, c->len, MSS);
	KUNIT_EXPECT_EQ(test, marks(a), 0);
	KUNIT_EXPECT_EQ(test, marks(b), TTP_SACKED);
	KUNIT_EXPECT_EQ(test, marks(c), 0);
	KUNIT_EXPECT_EQ(test, tsk->sacked_out, 2 * MSS);
	expect_data(test, b, MSS);
	expect_data(test, c, 3 * MSS);
}

/*
 * An ACK into a segment taken for lost frees what it covers and leaves the
 * rest lost: lost_out falls by what was acknowledged.
 * Catches: no trim (the segment 4 MSS long, lost_out 4 MSS); the sums not
 * corrected (lost_out 4 MSS with a 3-MSS segment).
 */
static void partial_ack_trims_and_keeps_the_scoreboard(struct kunit *test)
{
	struct ttp_sock *tsk = test_sock(test, true, ISS);
	struct sk_buff *a = send_data(test, tsk, 4 * MSS);

	ttp_loss_state(&tsk->inet.sk);
	KUNIT_ASSERT_EQ(test, tsk->lost_out, 4 * MSS);
	ack_to(test, tsk, ISS + MSS);
	KUNIT_ASSERT_PTR_EQ(test, skb_peek(&tsk->inet.sk.sk_write_queue), a);
	KUNIT_EXPECT_EQ(test, a->len, 3 * MSS);
	KUNIT_EXPECT_EQ(test, seq_of(a), ISS + MSS);
	KUNIT_EXPECT_EQ(test, marks(a), TTP_LOST);
	KUNIT_EXPECT_EQ(test, tsk->lost_out, 3 * MSS);
	KUNIT_EXPECT_EQ(test, tsk->snd_una, ISS + MSS);
	KUNIT_EXPECT_EQ(test, tsk->bytes_acked, (u64)MSS);
	expect_data(test, a, MSS);
}

/*
 * Three duplicate ACKs without SACK take one MSS for lost, not the whole
 * segment of four at the head.
 * Catches: the head not cut (lost_out 4 MSS: a loss sends 4 MSS again).
 */
static void reno_takes_one_mss_of_a_large_head_for_lost(struct kunit *test)
{
	struct ttp_sock *tsk = test_sock(test, false, ISS);
	struct sk_buff *a = send_data(test, tsk, 4 * MSS);

	send_data(test, tsk, MSS);
	dupack(test, tsk);
	dupack(test, tsk);
	KUNIT_EXPECT_TRUE(test, dupack(test, tsk));
	KUNIT_EXPECT_EQ(test, a->len, MSS);
	KUNIT_EXPECT_EQ(test, marks(a), TTP_LOST);
	KUNIT_EXPECT_EQ(test, marks(next_of(tsk, a)), 0);
	KUNIT_EXPECT_EQ(test, tsk->lost_out, MSS);
	KUNIT_EXPECT_EQ(test, tsk->ca_state, (u8)TTP_CA_RECOVERY);
}

static struct kunit_case ttp_gso_cases[] = {
	KUNIT_CASE(fragment_moves_data_fin_and_marks),
	KUNIT_CASE(trim_head_drops_acked_bytes_in_place),
	KUNIT_CASE(sack_block_cuts_a_large_segment),
	KUNIT_CASE(partial_ack_trims_and_keeps_the_scoreboard),
	KUNIT_CASE(reno_takes_one_mss_of_a_large_head_for_lost),
	{}
};

static struct kunit_suite ttp_gso_suite = {
	.name = "ttp_large_segments",
	.test_cases = ttp_gso_cases,
};

kunit_test_suite(ttp_gso_suite);
