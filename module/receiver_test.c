// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the receiver (receiver.c): which segments the window
 * accepts (RFC 793's four cases), the window advertised, which never moves
 * its right edge back, and the SACK blocks an ACK carries.  The sockets are
 * plain memory (kunit_kzalloc()): these functions read only fields of the
 * socket.  Part of ttp_kunit.ko (kunit.c).
 */
#include <kunit/test.h>

#include "ttp.h"

static struct ttp_sock *test_sock(struct kunit *test)
{
	struct ttp_sock *tsk = kunit_kzalloc(test, sizeof(*tsk), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, tsk);
	skb_queue_head_init(&tsk->ofo_queue);
	tsk->rcv_ratio = 256;	/* all of the buffer is payload */
	return tsk;
}

/* A window of @wnd from @nxt, as the last ACK advertised it. */
static void set_window(struct ttp_sock *tsk, u32 nxt, u32 wnd)
{
	tsk->rcv_nxt = nxt;
	tsk->rcv_wup = nxt;
	tsk->rcv_wnd = wnd;
}

static void empty_segment_needs_rcv_nxt_when_the_window_is_closed(struct kunit *test)
{
	struct ttp_sock *tsk = test_sock(test);

	set_window(tsk, 1000, 0);
	KUNIT_EXPECT_TRUE(test, ttp_seq_acceptable(tsk, 1000, 0));
	KUNIT_EXPECT_FALSE(test, ttp_seq_acceptable(tsk, 999, 0));
	KUNIT_EXPECT_FALSE(test, ttp_seq_acceptable(tsk, 1001, 0));
}

static void empty_segment_must_fall_in_an_open_window(struct kunit *test)
{
	struct ttp_sock *tsk = test_sock(test);

	set_window(tsk, 1000, 100);
	KUNIT_EXPECT_TRUE(test, ttp_seq_acceptable(tsk, 1000, 0));
	KUNIT_EXPECT_TRUE(test, ttp_seq_acceptable(tsk, 1099, 0));
	KUNIT_EXPECT_FALSE(test, ttp_seq_acceptable(tsk, 1100, 0));
	KUNIT_EXPECT_FALSE(test, ttp_seq_acceptable(tsk, 999, 0));
}

static void data_is_refused_by_a_closed_window(struct kunit *test)
{
	struct ttp_sock *tsk = test_sock(test);

	set_window(tsk, 1000, 0);
	KUNIT_EXPECT_FALSE(test, ttp_seq_acceptable(tsk, 1000, 1));
	KUNIT_EXPECT_FALSE(test, ttp_seq_acceptable(tsk, 1000, 1460));
}

static void data_needs_its_first_or_last_byte_in_the_window(struct kunit *test)
{
	struct ttp_sock *tsk = test_sock(test);

	set_window(tsk, 1000, 100);
	/* Inside, starting before (a partial retransmission), running past. */
	KUNIT_EXPECT_TRUE(test, ttp_seq_acceptable(tsk, 1010, 10));
	KUNIT_EXPECT_TRUE(test, ttp_seq_acceptable(tsk, 900, 101));
	KUNIT_EXPECT_TRUE(test, ttp_seq_acceptable(tsk, 1099, 500));
	/* All of it before rcv_nxt, or all of it past the edge. */
	KUNIT_EXPECT_FALSE(test, ttp_seq_acceptable(tsk, 900, 100));
	KUNIT_EXPECT_FALSE(test, ttp_seq_acceptable(tsk, 1100, 10));
}

static void acceptability_holds_across_the_sequence_wrap(struct kunit *test)
{
	struct ttp_sock *tsk = test_sock(test);

	set_window(tsk, 0xffffffc0, 0x80);
	KUNIT_EXPECT_TRUE(test, ttp_seq_acceptable(tsk, 0xfffffff0, 0x20));
	KUNIT_EXPECT_TRUE(test, ttp_seq_acceptable(tsk, 0x30, 0x10));
	KUNIT_EXPECT_TRUE(test, ttp_seq_acceptable(tsk, 0x3f, 0));
	KUNIT_EXPECT_FALSE(test, ttp_seq_acceptable(tsk, 0x40, 0));
	KUNIT_EXPECT_FALSE(test, ttp_seq_acceptable(tsk, 0xffffffa0, 0x20));
}

/* Data accepted whole may have run past the edge: the window is 0. */
static void window_is_closed_once_data_ran_past_the_edge(struct kunit *test)
{
	struct ttp_sock *tsk = test_sock(test);

	set_window(tsk, 1000, 100);
	tsk->rcv_nxt = 1200;
	KUNIT_EXPECT_TRUE(test, ttp_seq_acceptable(tsk, 1200, 0));
	KUNIT_EXPECT_FALSE(test, ttp_seq_acceptable(tsk, 1200, 1));
}

static void window_offers_the_free_buffer_less_overhead(struct kunit *test)
{
	struct ttp_sock *tsk = test_sock(test);
	struct sock *sk = &tsk->inet.sk;

	set_window(tsk, 5000, 0);
	sk->sk_rcvbuf = 40000;
	atomic_set(&sk->sk_rmem_alloc, 10000);
	KUNIT_EXPECT_EQ(test, ttp_select_window_peek(sk), 30000U);
	/* Half of what arrives is payload: half of the free space. */
	tsk->rcv_ratio = 128;
	KUNIT_EXPECT_EQ(test, ttp_select_window_peek(sk), 15000U);
	/* A buffer charged past its size offers nothing. */
	atomic_set(&sk->sk_rmem_alloc, 50000);
	KUNIT_EXPECT_EQ(test, ttp_select_window_peek(sk), 0U);
}

static void window_never_moves_its_right_edge_back(struct kunit *test)
{
	struct ttp_sock *tsk = test_sock(test);
	struct sock *sk = &tsk->inet.sk;
	u32 win;

	/* 20000 advertised from 1000; 4000 arrived and fill the buffer. */
	set_window(tsk, 1000, 20000);
	tsk->rcv_nxt = 5000;
	sk->sk_rcvbuf = 8000;
	atomic_set(&sk->sk_rmem_alloc, 8000);
	win = ttp_select_window_peek(sk);
	KUNIT_EXPECT_EQ(test, tsk->rcv_nxt + win, 21000U);
	/* Across the wrap of the sequence space as well. */
	set_window(tsk, 0xfffff000, 0x3000);
	tsk->rcv_nxt = 0x1000;
	KUNIT_EXPECT_EQ(test, tsk->rcv_nxt + ttp_select_window_peek(sk),
			0x2000U);
}

static void scaled_window_is_rounded_up_and_bounded(struct kunit *test)
{
	struct ttp_sock *tsk = test_sock(test);
	struct sock *sk = &tsk->inet.sk;

	tsk->rcv_wscale = 7;
	set_window(tsk, 0, 1000);	/* an edge not a multiple of 128 */
	sk->sk_rcvbuf = 0;
	KUNIT_EXPECT_EQ(test, ttp_select_window_peek(sk), 1024U);
	/* Never more than the header's 16 bits can say at this scale. */
	sk->sk_rcvbuf = INT_MAX;
	set_window(tsk, 0, 0);
	KUNIT_EXPECT_EQ(test, ttp_select_window_peek(sk), (u32)U16_MAX << 7);
	tsk->rcv_wscale = 0;
	KUNIT_EXPECT_EQ(test, ttp_select_window_peek(sk), (u32)U16_MAX);
}

/* Put [@seq, @end) on the out-of-order queue, in sequence order. */
static void ofo_add(struct kunit *test, struct ttp_sock *tsk, u32 seq, u32 end)
{
	struct sk_buff *skb = alloc_skb(0, GFP_KERNEL), *pos;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	TTP_SKB_CB(skb)->seq = seq;
	TTP_SKB_CB(skb)->end_seq = end;
	skb_queue_walk(&tsk->ofo_queue, pos) {
		if (ttp_seq_before(seq, TTP_SKB_CB(pos)->seq)) {
			__skb_queue_before(&tsk->ofo_queue, pos, skb);
			goto out;
		}
	}
	__skb_queue_tail(&tsk->ofo_queue, skb);
out:
	tsk->ofo_last = seq;
}

static void expect_block(struct kunit *test, const struct ttp_sack_block *b,
			 u32 start, u32 end)
{
	KUNIT_EXPECT_EQ(test, b->start, start);
	KUNIT_EXPECT_EQ(test, b->end, end);
}

static void no_sack_blocks_without_out_of_order_data(struct kunit *test)
{
	struct ttp_sock *tsk = test_sock(test);
	struct ttp_sack_block b[TTP_MAX_SACKS];

	KUNIT_EXPECT_EQ(test, ttp_sack_blocks(&tsk->inet.sk, b), 0U);
}

static void contiguous_segments_make_one_block(struct kunit *test)
{
	struct ttp_sock *tsk = test_sock(test);
	struct ttp_sack_block b[TTP_MAX_SACKS];

	ofo_add(test, tsk, 2000, 3000);
	ofo_add(test, tsk, 3000, 4000);
	ofo_add(test, tsk, 3500, 4500);	/* overlapping */
	KUNIT_EXPECT_EQ(test, ttp_sack_blocks(&tsk->inet.sk, b), 1U);
	expect_block(test, &b[0], 2000, 4500);
	__skb_queue_purge(&tsk->ofo_queue);
}

static void last_arrival_first_then_the_highest(struct kunit *test)
{
	struct ttp_sock *tsk = test_sock(test);
	struct ttp_sack_block b[TTP_MAX_SACKS];

	ofo_add(test, tsk, 5000, 6000);
	ofo_add(test, tsk, 9000, 10000);
	ofo_add(test, tsk, 7000, 8000);	/* arrives last */
	KUNIT_EXPECT_EQ(test, ttp_sack_blocks(&tsk->inet.sk, b), 3U);
	expect_block(test, &b[0], 7000, 8000);
	expect_block(test, &b[1], 9000, 10000);
	expect_block(test, &b[2], 5000, 6000);
	__skb_queue_purge(&tsk->ofo_queue);
}

static void at_most_four_blocks_the_highest_kept(struct kunit *test)
{
	struct ttp_sock *tsk = test_sock(test);
	struct ttp_sack_block b[TTP_MAX_SACKS];
	u32 seq;

	for (seq = 10000; seq < 16000; seq += 1000)
		ofo_add(test, tsk, seq, seq + 500);	/* six holes */
	KUNIT_EXPECT_EQ(test, ttp_sack_blocks(&tsk->inet.sk, b),
			(unsigned int)TTP_MAX_SACKS);
	expect_block(test, &b[0], 15000, 15500);	/* the last arrival */
	expect_block(test, &b[1], 14000, 14500);
	expect_block(test, &b[2], 13000, 13500);
	expect_block(test, &b[3], 12000, 12500);
	/*
	 * A segment that arrives last in a low block: that block still comes
	 * first (RFC 2018), then the three highest.
	 */
	ofo_add(test, tsk, 10500, 10700);
	KUNIT_EXPECT_EQ(test, ttp_sack_blocks(&tsk->inet.sk, b),
			(unsigned int)TTP_MAX_SACKS);
	expect_block(test, &b[0], 10000, 10700);
	expect_block(test, &b[1], 15000, 15500);
	expect_block(test, &b[2], 14000, 14500);
	expect_block(test, &b[3], 13000, 13500);
	__skb_queue_purge(&tsk->ofo_queue);
}

static void sack_blocks_hold_across_the_sequence_wrap(struct kunit *test)
{
	struct ttp_sock *tsk = test_sock(test);
	struct ttp_sack_block b[TTP_MAX_SACKS];

	ofo_add(test, tsk, 0xfffffe00, 0xffffff00);
	ofo_add(test, tsk, 0xffffff00, 0x100);
	ofo_add(test, tsk, 0x1000, 0x1200);
	KUNIT_EXPECT_EQ(test, ttp_sack_blocks(&tsk->inet.sk, b), 2U);
	expect_block(test, &b[0], 0x1000, 0x1200);
	expect_block(test, &b[1], 0xfffffe00, 0x100);
	__skb_queue_purge(&tsk->ofo_queue);
}

static struct kunit_case ttp_receiver_cases[] = {
	KUNIT_CASE(empty_segment_needs_rcv_nxt_when_the_window_is_closed),
	KUNIT_CASE(empty_segment_must_fall_in_an_open_window),
	KUNIT_CASE(data_is_refused_by_a_closed_window),
	KUNIT_CASE(data_needs_its_first_or_last_byte_in_the_window),
	KUNIT_CASE(acceptability_holds_across_the_sequence_wrap),
	KUNIT_CASE(window_is_closed_once_data_ran_past_the_edge),
	KUNIT_CASE(window_offers_the_free_buffer_less_overhead),
	KUNIT_CASE(window_never_moves_its_right_edge_back),
	KUNIT_CASE(scaled_window_is_rounded_up_and_bounded),
	KUNIT_CASE(no_sack_blocks_without_out_of_order_data),
	KUNIT_CASE(contiguous_segments_make_one_block),
	KUNIT_CASE(last_arrival_first_then_the_highest),
	KUNIT_CASE(at_most_four_blocks_the_highest_kept),
	KUNIT_CASE(sack_blocks_hold_across_the_sequence_wrap),
	{}
};

static struct kunit_suite ttp_receiver_suite = {
	.name = "ttp_receiver",
	.test_cases = ttp_receiver_cases,
};

kunit_test_suite(ttp_receiver_suite);
