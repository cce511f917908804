// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of loss recovery (recovery.c): which segments SACK blocks
 * mark and which are then lost (RFC 6675 IsLost()), a retransmission lost
 * again (RFC 8985 RACK), NewReno's duplicate and partial ACKs (RFC 6582),
 * the end of recovery, the timeout's scoreboard, the cumulative ACK, and
 * the end of the persist timer's backoff when the peer's window opens.
 *
 * Nothing here sends: ttp_ack_state() and ttp_loss_state() are
 * ttp_ack_rcv() and ttp_enter_loss() short of the retransmission, and say
 * or leave on the scoreboard what ttp_retransmit_lost() would send (its
 * marks are put on by hand, resend(), where a case needs a segment sent
 * again).  The sockets are plain memory (kunit_kzalloc()) in the initial
 * network namespace, whose TTP counters the ACKs count in; the segments
 * are empty skbs whose CB says what they hold.  Part of ttp_kunit.ko
 * (kunit.c).
 *
 * Each case names the mutation of recovery.c it catches.
 */
#include <kunit/test.h>
#include <kunit/resource.h>

#include "recovery_test.h"

#define WRAP	((u32)-2500)	/* an ISS whose segments cross 2^32 */
#define NSEGS	8

static struct sk_buff *queue_seg(struct kunit *test, struct ttp_sock *tsk,
				 u32 len, u32 sent_us)
{
	struct sk_buff *skb = alloc_skb(0, GFP_KERNEL);
	struct ttp_skb_cb *cb;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	cb = TTP_SKB_CB(skb);
	cb->seq = tsk->write_seq;
	cb->end_seq = tsk->write_seq + len;
	cb->sent_us = sent_us;
	cb->flags = 0;
	cb->retrans = 0;
	cb->sacked = 0;
	__skb_queue_tail(&tsk->inet.sk.sk_write_queue, skb);
	tsk->write_seq += len;
	return skb;
}

/* @len bytes of new data sent at @sent_us: a segment in flight. */
static struct sk_buff *send_seg(struct kunit *test, struct ttp_sock *tsk,
				u32 len, u32 sent_us)
{
	struct sk_buff *skb;

	KUNIT_ASSERT_NULL(test, tsk->send_head);
	skb = queue_seg(test, tsk, len, sent_us);
	tsk->snd_nxt = tsk->write_seq;
	return skb;
}

/* @len bytes queued, not sent: they wait at send_head. */
static struct sk_buff *queue_unsent(struct kunit *test, struct ttp_sock *tsk,
				    u32 len)
{
	struct sk_buff *skb = queue_seg(test, tsk, len, 0);

	if (!tsk->send_head)
		tsk->send_head = skb;
	return skb;
}

/* @n segments of an MSS each, sent at @sent_us, into @s. */
static void send_segs(struct kunit *test, struct ttp_sock *tsk,
		      struct sk_buff **s, unsigned int n, u32 sent_us)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		s[i] = send_seg(test, tsk, MSS, sent_us);
}

/*
 * What ttp_retransmit_lost() does to a lost segment it sends again at
 * @now_us (the transmission itself aside).
 */
static void resend(struct kunit *test, struct ttp_sock *tsk,
		   struct sk_buff *skb, u32 now_us)
{
	struct ttp_skb_cb *cb = TTP_SKB_CB(skb);

	KUNIT_ASSERT_EQ(test, cb->sacked & (TTP_LOST | TTP_RETRANS), TTP_LOST);
	cb->sacked |= TTP_RETRANS;
	cb->sent_us = now_us;
	cb->retrans++;
	tsk->retrans_out += cb->end_seq - cb->seq;
}

/*
 * A block covers the segments it holds whole; blocks not within
 * [snd_una, snd_nxt] are ignored; an ACK that SACKs nothing new is no
 * duplicate; DISORDER ends when the cumulative ACK passes what was SACKed.
 * Catches: the whole-segment test dropped (s3, half covered, SACKed); the
 * snd_una or the snd_nxt bound dropped (s0, s1 or s5 SACKed); a duplicate
 * counted without new SACK information (dupacks 2); sacked_out not given
 * back when SACKed data is freed, or the state left in DISORDER.
 */
static void sack_marks_whole_segments_within_the_flight(struct kunit *test)
{
	struct ttp_sock *tsk = test_sock(test, true, ISS);
	struct sk_buff *s[6];

	send_segs(test, tsk, s, 6, ttp_clock_us());

	KUNIT_EXPECT_FALSE(test, sack(test, tsk, seq_of(s[2]),
				      seq_of(s[3]) + MSS / 2));
	KUNIT_EXPECT_EQ(test, marks(s[2]), TTP_SACKED);
	KUNIT_EXPECT_EQ(test, marks(s[3]), 0);
	KUNIT_EXPECT_EQ(test, tsk->sacked_out, MSS);
	KUNIT_EXPECT_EQ(test, tsk->dupacks, (u8)1);
	KUNIT_EXPECT_EQ(test, tsk->ca_state, (u8)TTP_CA_DISORDER);

	/* Starting below snd_una (a D-SACK of data already acknowledged). */
	KUNIT_EXPECT_FALSE(test, sack(test, tsk, ISS - MSS, end_of(s[1])));
	KUNIT_EXPECT_EQ(test, marks(s[0]), 0);
	KUNIT_EXPECT_EQ(test, marks(s[1]), 0);
	/* Ending beyond snd_nxt, and empty. */
	KUNIT_EXPECT_FALSE(test, sack(test, tsk, seq_of(s[5]),
				      tsk->snd_nxt + MSS));
	KUNIT_EXPECT_FALSE(test, sack(test, tsk, seq_of(s[4]), seq_of(s[4])));
	KUNIT_EXPECT_EQ(test, marks(s[4]), 0);
	KUNIT_EXPECT_EQ(test, marks(s[5]), 0);
	KUNIT_EXPECT_EQ(test, tsk->sacked_out, MSS);
	KUNIT_EXPECT_EQ(test, tsk->dupacks, (u8)1);
	KUNIT_EXPECT_EQ(test, tsk->lost_out, 0U);

	/* The cumulative ACK passes the SACKed segment: in order again. */
	KUNIT_EXPECT_FALSE(test, ack_to(test, tsk, ISS + 4 * MSS));
	KUNIT_EXPECT_EQ(test, tsk->snd_una, ISS + 4 * MSS);
	KUNIT_EXPECT_PTR_EQ(test, skb_peek(&tsk->inet.sk.sk_write_queue), s[4]);
	KUNIT_EXPECT_EQ(test, tsk->sacked_out, 0U);
	KUNIT_EXPECT_EQ(test, tsk->dupacks, (u8)0);
	KUNIT_EXPECT_EQ(test, tsk->ca_state, (u8)TTP_CA_OPEN);
}

/*
 * IsLost(): lost once MORE than (DupThresh - 1) * MSS bytes above it are
 * SACKed, counted in bytes (a 1-byte segment tips it over), and the loss
 * starts fast retransmit: recover = snd_nxt, the window halved, not
 * inflated (SACK sees what left), the first lost segment due at once.
 * Catches: "above <= thresh" made "above < thresh" (s0 lost at 2 MSS);
 * the threshold at DupThresh * MSS (not lost at 2 MSS + 1); NewReno's
 * inflation applied with SACK (cwnd 6000); no immediate retransmission
 * asked for (false returned on entry).
 */
static void sack_loss_needs_more_than_two_mss_sacked_above(struct kunit *test)
{
	struct ttp_sock *tsk = test_sock(test, true, ISS);
	u32 now = ttp_clock_us();
	struct sk_buff *s[7];

	send_segs(test, tsk, s, 3, now);
	s[3] = send_seg(test, tsk, 1, now);
	send_segs(test, tsk, s + 4, 3, now);	/* 6001 bytes in flight */

	/* s1 and s2, one block: exactly 2 MSS above s0. */
	KUNIT_EXPECT_FALSE(test, sack(test, tsk, seq_of(s[1]), end_of(s[2])));
	KUNIT_EXPECT_EQ(test, marks(s[0]), 0);
	KUNIT_EXPECT_EQ(test, tsk->lost_out, 0U);
	KUNIT_EXPECT_EQ(test, tsk->ca_state, (u8)TTP_CA_DISORDER);

	/* One byte more (and only the second duplicate ACK). */
	KUNIT_EXPECT_TRUE(test, sack(test, tsk, seq_of(s[3]), end_of(s[3])));
	KUNIT_EXPECT_EQ(test, tsk->dupacks, (u8)2);
	KUNIT_EXPECT_EQ(test, marks(s[0]), TTP_LOST);
	KUNIT_EXPECT_EQ(test, tsk->lost_out, MSS);
	KUNIT_EXPECT_EQ(test, marks(s[4]), 0);
	KUNIT_EXPECT_EQ(test, tsk->ca_state, (u8)TTP_CA_RECOVERY);
	KUNIT_EXPECT_EQ(test, tsk->recover, tsk->snd_nxt);
	KUNIT_EXPECT_EQ(test, tsk->cc.ssthresh, 3 * MSS);
	KUNIT_EXPECT_EQ(test, tsk->cc.cwnd, 3 * MSS);
}

/*
 * Below a hole, only the bytes SACKed above a segment count for it, across
 * the wrap of the sequence space; every block of an ACK is read; during
 * SACK recovery each ACK marks what else became lost.
 * Catches: the bytes of SACKed segments not subtracted on the walk (s2 and
 * s5 lost at the first ACK); only the first block read (s3, s4 not
 * SACKed); ttp_sack_mark_lost() not called in RECOVERY (s2 never lost);
 * plain comparisons instead of ttp_seq_before() (blocks across 2^32).
 */
static void sack_loss_counts_only_the_bytes_sacked_above(struct kunit *test)
{
	struct ttp_sock *tsk = test_sock(test, true, WRAP);
	struct ttp_sack_block b[2];
	struct sk_buff *s[6];

	send_segs(test, tsk, s, 6, ttp_clock_us());
	b[0].start = seq_of(s[1]);
	b[0].end = end_of(s[1]);
	b[1].start = seq_of(s[3]);	/* s2 crosses 2^32 */
	b[1].end = end_of(s[4]);
	KUNIT_EXPECT_TRUE(test, rcv_ack(test, tsk, WRAP, true, b, 2));
	KUNIT_EXPECT_EQ(test, marks(s[0]), TTP_LOST);	/* 3 MSS above */
	KUNIT_EXPECT_EQ(test, marks(s[1]), TTP_SACKED);
	KUNIT_EXPECT_EQ(test, marks(s[2]), 0);		/* 2 MSS above */
	KUNIT_EXPECT_EQ(test, marks(s[3]), TTP_SACKED);
	KUNIT_EXPECT_EQ(test, marks(s[4]), TTP_SACKED);
	KUNIT_EXPECT_EQ(test, marks(s[5]), 0);
	KUNIT_EXPECT_EQ(test, tsk->sacked_out, 3 * MSS);
	KUNIT_EXPECT_EQ(test, tsk->lost_out, MSS);
	KUNIT_EXPECT_EQ(test, tsk->ca_state, (u8)TTP_CA_RECOVERY);

	/* s5 arrives: 3 MSS above s2 now; ttp_push() will send it. */
	KUNIT_EXPECT_FALSE(test, sack(test, tsk, seq_of(s[5]), end_of(s[5])));
	KUNIT_EXPECT_EQ(test, marks(s[2]), TTP_LOST);
	KUNIT_EXPECT_EQ(test, tsk->lost_out, 2 * MSS);
	KUNIT_EXPECT_EQ(test, tsk->ca_state, (u8)TTP_CA_RECOVERY);
}

/*
 * With SACK as without, the third duplicate ACK marks the oldest segment
 * lost, however few bytes were SACKed; an ACK that SACKs nothing new is
 * not a duplicate.
 * Catches: the duplicate ACK rule applied only without SACK (s0 never lost
 * here: 300 bytes SACKed); a duplicate counted without new SACK
 * information (s0 lost at the third ACK, which repeats the first).
 */
static void sack_third_new_sack_marks_the_oldest_lost(struct kunit *test)
{
	struct ttp_sock *tsk = test_sock(test, true, ISS);
	u32 now = ttp_clock_us();
	struct sk_buff *s[5];
	unsigned int i;

	s[0] = send_seg(test, tsk, MSS, now);
	for (i = 1; i <= 3; i++)
		s[i] = send_seg(test, tsk, 100, now);
	s[4] = send_seg(test, tsk, MSS, now);

	KUNIT_EXPECT_FALSE(test, sack(test, tsk, seq_of(s[1]), end_of(s[1])));
	KUNIT_EXPECT_FALSE(test, sack(test, tsk, seq_of(s[1]), end_of(s[1])));
	KUNIT_EXPECT_EQ(test, tsk->dupacks, (u8)1);
	KUNIT_EXPECT_FALSE(test, sack(test, tsk, seq_of(s[2]), end_of(s[2])));
	KUNIT_EXPECT_EQ(test, tsk->dupacks, (u8)2);
	KUNIT_EXPECT_EQ(test, marks(s[0]), 0);
	KUNIT_EXPECT_EQ(test, tsk->ca_state, (u8)TTP_CA_DISORDER);

	KUNIT_EXPECT_TRUE(test, sack(test, tsk, seq_of(s[3]), end_of(s[3])));
	KUNIT_EXPECT_EQ(test, marks(s[0]), TTP_LOST);
	KUNIT_EXPECT_EQ(test, marks(s[4]), 0);
	KUNIT_EXPECT_EQ(test, tsk->lost_out, MSS);
	KUNIT_EXPECT_EQ(test, tsk->ca_state, (u8)TTP_CA_RECOVERY);
}

/*
 * SACK recovery: ACKs mark losses but ask for no retransmission at once
 * (ttp_push() sends, as the window allows); a partial ACK neither deflates
 * the window nor ends recovery; the ACK of recover ends it, with cwnd at
 * min(ssthresh, in flight + MSS), at least 2 MSS.
 * Catches: SACK recovery returning true, or NewReno's partial ACK rule
 * (deflation, the head marked) run with SACK (cwnd not 4000); recovery
 * ended by a partial ACK, or not by the ACK of recover; the floor of two
 * segments dropped (cwnd 1000).
 */
static void sack_recovery_ends_at_recover(struct kunit *test)
{
	struct ttp_sock *tsk = test_sock(test, true, ISS);
	struct sk_buff *s[NSEGS];

	send_segs(test, tsk, s, NSEGS, ttp_clock_us());
	KUNIT_ASSERT_TRUE(test, sack(test, tsk, seq_of(s[1]), end_of(s[3])));
	KUNIT_EXPECT_EQ(test, tsk->cc.cwnd, 4 * MSS);
	resend(test, tsk, s[0], ttp_clock_us());

	KUNIT_EXPECT_FALSE(test, sack(test, tsk, seq_of(s[5]), end_of(s[6])));
	KUNIT_EXPECT_EQ(test, marks(s[4]), 0);
	KUNIT_EXPECT_FALSE(test, sack(test, tsk, seq_of(s[7]), end_of(s[7])));
	KUNIT_EXPECT_EQ(test, marks(s[4]), TTP_LOST);
	KUNIT_EXPECT_EQ(test, tsk->lost_out, 2 * MSS);
	KUNIT_EXPECT_EQ(test, tsk->retrans_out, MSS);

	/* s0's retransmission arrived: the ACK jumps to the hole at s4. */
	KUNIT_EXPECT_FALSE(test, ack_to(test, tsk, ISS + 4 * MSS));
	KUNIT_EXPECT_EQ(test, tsk->ca_state, (u8)TTP_CA_RECOVERY);
	KUNIT_EXPECT_EQ(test, tsk->cc.cwnd, 4 * MSS);
	KUNIT_EXPECT_EQ(test, marks(s[4]), TTP_LOST);
	KUNIT_EXPECT_EQ(test, tsk->lost_out, MSS);
	KUNIT_EXPECT_EQ(test, tsk->retrans_out, 0U);
	KUNIT_EXPECT_EQ(test, tsk->sacked_out, 3 * MSS);

	KUNIT_EXPECT_FALSE(test, ack_to(test, tsk, tsk->recover));
	KUNIT_EXPECT_EQ(test, tsk->ca_state, (u8)TTP_CA_OPEN);
	KUNIT_EXPECT_EQ(test, tsk->cc.cwnd, 2 * MSS);
	KUNIT_EXPECT_EQ(test, tsk->sacked_out, 0U);
	KUNIT_EXPECT_EQ(test, tsk->lost_out, 0U);
	KUNIT_EXPECT_TRUE(test, skb_queue_empty(&tsk->inet.sk.sk_write_queue));
}

/*
 * In SACK recovery, s0 was sent again at T.  A segment sent before T
 * SACKed says nothing of the retransmission, nor one sent @reo_us after
 * it (reordering); one sent @reo_us + 1 after it does: s0 is lost again,
 * TTP_RETRANS cleared so that ttp_push() sends it a third time.
 */
static void check_lost_retransmission(struct kunit *test, u32 srtt_us,
				      u32 reo_us)
{
	struct ttp_sock *tsk = test_sock(test, true, ISS);
	u32 t0 = ttp_clock_us(), t = t0 + 50000;
	struct sk_buff *s[NSEGS], *at_reo, *after_reo;

	send_segs(test, tsk, s, NSEGS, t0);
	KUNIT_ASSERT_TRUE(test, sack(test, tsk, seq_of(s[1]), end_of(s[3])));
	tsk->rtt.srtt_us = srtt_us;
	resend(test, tsk, s[0], t);
	at_reo = send_seg(test, tsk, MSS, t + reo_us);
	after_reo = send_seg(test, tsk, MSS, t + reo_us + 1);

	KUNIT_EXPECT_FALSE(test, sack(test, tsk, seq_of(s[4]), end_of(s[4])));
	KUNIT_EXPECT_EQ(test, marks(s[0]), TTP_LOST | TTP_RETRANS);
	KUNIT_EXPECT_FALSE(test, sack(test, tsk, seq_of(at_reo),
				      end_of(at_reo)));
	KUNIT_EXPECT_EQ(test, marks(s[0]), TTP_LOST | TTP_RETRANS);
	KUNIT_EXPECT_EQ(test, tsk->retrans_out, MSS);

	KUNIT_EXPECT_FALSE(test, sack(test, tsk, seq_of(after_reo),
				      end_of(after_reo)));
	KUNIT_EXPECT_EQ(test, marks(s[0]), TTP_LOST);
	KUNIT_EXPECT_EQ(test, tsk->retrans_out, 0U);
	KUNIT_EXPECT_EQ(test, tsk->lost_out, MSS);
	KUNIT_EXPECT_GT(test, tsk->lost_out, tsk->retrans_out);
	KUNIT_EXPECT_EQ(test, tsk->ca_state, (u8)TTP_CA_RECOVERY);
}

/*
 * RACK's reordering window is a quarter of SRTT: 2 ms of 8 ms.
 * Catches: ttp_rack_mark_lost() not called in RECOVERY, or TTP_RETRANS
 * and retrans_out left alone (s0 never lost again); srtt / 8 instead of
 * srtt / 4, or "<= reo" made "< reo" (lost again at exactly 2 ms); no
 * time test at all (lost again by the SACK of a segment sent before T).
 */
static void lost_retransmission_is_detected_a_quarter_rtt_on(struct kunit *test)
{
	check_lost_retransmission(test, 8000, 2000);
}

/*
 * ... but never under 1 ms: a quarter of 2 ms is 0.5 ms, the window 1 ms.
 * Catches: the max(..., 1000) floor dropped (lost again at 1 ms).
 */
static void lost_retransmission_waits_at_least_one_ms(struct kunit *test)
{
	check_lost_retransmission(test, 2000, 1000);
}

/*
 * NewReno: the third duplicate ACK (a window update is none) marks the
 * oldest segment lost and starts recovery, ssthresh = max(flight / 2,
 * 2 MSS), cwnd = ssthresh + 3 MSS; each further duplicate adds one MSS.
 * Catches: ">= TTP_DUPTHRESH" made "> TTP_DUPTHRESH" (no loss at the
 * third); @dup ignored (the window update counted: loss at the second
 * duplicate); the 3 MSS inflation dropped (cwnd 2500); the inflation per
 * further duplicate dropped (cwnd stays 5500).
 */
static void reno_third_duplicate_ack_starts_fast_retransmit(struct kunit *test)
{
	struct ttp_sock *tsk = test_sock(test, false, ISS);
	struct sk_buff *s[5];

	send_segs(test, tsk, s, 5, ttp_clock_us());
	KUNIT_EXPECT_FALSE(test, dupack(test, tsk));
	KUNIT_EXPECT_EQ(test, tsk->dupacks, (u8)1);
	KUNIT_EXPECT_EQ(test, tsk->ca_state, (u8)TTP_CA_DISORDER);
	/* A window update at snd_una: not a duplicate. */
	KUNIT_EXPECT_FALSE(test, rcv_ack(test, tsk, ISS, false, NULL, 0));
	KUNIT_EXPECT_EQ(test, tsk->dupacks, (u8)1);
	KUNIT_EXPECT_FALSE(test, dupack(test, tsk));
	KUNIT_EXPECT_EQ(test, tsk->dupacks, (u8)2);
	KUNIT_EXPECT_EQ(test, marks(s[0]), 0);
	KUNIT_EXPECT_EQ(test, tsk->lost_out, 0U);

	KUNIT_EXPECT_TRUE(test, dupack(test, tsk));
	KUNIT_EXPECT_EQ(test, marks(s[0]), TTP_LOST);
	KUNIT_EXPECT_EQ(test, marks(s[1]), 0);
	KUNIT_EXPECT_EQ(test, tsk->lost_out, MSS);
	KUNIT_EXPECT_EQ(test, tsk->ca_state, (u8)TTP_CA_RECOVERY);
	KUNIT_EXPECT_EQ(test, tsk->recover, ISS + 5 * MSS);
	KUNIT_EXPECT_EQ(test, tsk->cc.ssthresh, 2500U);
	KUNIT_EXPECT_EQ(test, tsk->cc.cwnd, 2500U + 3 * MSS);

	KUNIT_EXPECT_FALSE(test, dupack(test, tsk));
	KUNIT_EXPECT_EQ(test, tsk->cc.cwnd, 2500U + 4 * MSS);
	KUNIT_EXPECT_EQ(test, tsk->lost_out, MSS);
	KUNIT_EXPECT_EQ(test, tsk->ca_state, (u8)TTP_CA_RECOVERY);
}

/* Three duplicate ACKs on a connection without SACK: s0 lost, recovery. */
static void reno_enter_recovery(struct kunit *test, struct ttp_sock *tsk)
{
	KUNIT_ASSERT_FALSE(test, dupack(test, tsk));
	KUNIT_ASSERT_FALSE(test, dupack(test, tsk));
	KUNIT_ASSERT_TRUE(test, dupack(test, tsk));
	KUNIT_ASSERT_EQ(test, tsk->ca_state, (u8)TTP_CA_RECOVERY);
}

/*
 * A partial ACK (new data, short of recover) takes the next hole for lost
 * and asks for it to go at once; recovery goes on; cwnd is deflated by
 * what was acknowledged, plus one MSS.  Across the wrap: the first partial
 * ACK is below 2^32, recover above.
 * Catches: ttp_mark_head_lost() dropped (s2 not lost); false returned (no
 * retransmission of the hole); recovery ended by a partial ACK, or by a
 * plain comparison across 2^32 (state OPEN); the deflation dropped (cwnd
 * 7500) or the MSS added back dropped (cwnd 4500).
 */
static void reno_partial_ack_resends_the_next_hole(struct kunit *test)
{
	struct ttp_sock *tsk = test_sock(test, false, WRAP);
	struct sk_buff *s[5];

	send_segs(test, tsk, s, 5, ttp_clock_us());
	reno_enter_recovery(test, tsk);
	resend(test, tsk, s[0], ttp_clock_us());
	KUNIT_EXPECT_FALSE(test, dupack(test, tsk));
	KUNIT_EXPECT_EQ(test, tsk->cc.cwnd, 6500U);

	/* s0's retransmission and s1 acknowledged; s2 is the next hole. */
	KUNIT_EXPECT_TRUE(test, ack_to(test, tsk, WRAP + 2 * MSS));
	KUNIT_EXPECT_EQ(test, tsk->ca_state, (u8)TTP_CA_RECOVERY);
	KUNIT_EXPECT_EQ(test, tsk->snd_una, WRAP + 2 * MSS);
	KUNIT_EXPECT_PTR_EQ(test, skb_peek(&tsk->inet.sk.sk_write_queue), s[2]);
	KUNIT_EXPECT_EQ(test, marks(s[2]), TTP_LOST);
	KUNIT_EXPECT_EQ(test, marks(s[3]), 0);
	KUNIT_EXPECT_EQ(test, tsk->lost_out, MSS);
	KUNIT_EXPECT_EQ(test, tsk->retrans_out, 0U);
	KUNIT_EXPECT_EQ(test, tsk->dupacks, (u8)0);
	KUNIT_EXPECT_EQ(test, tsk->cc.cwnd, 6500U - 2 * MSS + MSS);

	/* The next one, past 2^32: s3 goes next. */
	resend(test, tsk, s[2], ttp_clock_us());
	KUNIT_EXPECT_TRUE(test, ack_to(test, tsk, WRAP + 3 * MSS));
	KUNIT_EXPECT_EQ(test, tsk->ca_state, (u8)TTP_CA_RECOVERY);
	KUNIT_EXPECT_EQ(test, marks(s[3]), TTP_LOST);
	KUNIT_EXPECT_EQ(test, marks(s[4]), 0);
	KUNIT_EXPECT_EQ(test, tsk->lost_out, MSS);
	KUNIT_EXPECT_EQ(test, tsk->cc.cwnd, 5500U);
}

/*
 * NewReno recovery of 8 segments (ssthresh 4000) with @more new segments
 * sent during it, ended by the ACK of recover: the cwnd it leaves.
 */
static u32 reno_full_ack_cwnd(struct kunit *test, unsigned int more)
{
	struct ttp_sock *tsk = test_sock(test, false, ISS);
	struct sk_buff *s[NSEGS];
	unsigned int i;

	send_segs(test, tsk, s, NSEGS, ttp_clock_us());
	reno_enter_recovery(test, tsk);
	KUNIT_EXPECT_EQ(test, tsk->cc.cwnd, 7 * MSS);
	resend(test, tsk, s[0], ttp_clock_us());
	for (i = 0; i < more; i++)
		send_seg(test, tsk, MSS, ttp_clock_us());

	KUNIT_EXPECT_FALSE(test, ack_to(test, tsk, ISS + NSEGS * MSS));
	KUNIT_EXPECT_EQ(test, tsk->ca_state, (u8)TTP_CA_OPEN);
	KUNIT_EXPECT_EQ(test, tsk->lost_out, 0U);
	KUNIT_EXPECT_EQ(test, tsk->retrans_out, 0U);
	KUNIT_EXPECT_EQ(test, tsk->dupacks, (u8)0);
	return tsk->cc.cwnd;
}

/*
 * The ACK of recover ends NewReno recovery: the inflation goes, cwnd is
 * min(ssthresh, in flight + MSS), at least 2 MSS.
 * Catches: recovery not ended at recover exactly ("!before" made "after");
 * cwnd left inflated (7000); the floor dropped (1000 with nothing in
 * flight); the min with ssthresh dropped (6000 with 5 MSS in flight);
 * cwnd simply set to ssthresh (4000 for the first two).
 */
static void reno_full_ack_ends_recovery(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, reno_full_ack_cwnd(test, 0), 2 * MSS);
	KUNIT_EXPECT_EQ(test, reno_full_ack_cwnd(test, 2), 3 * MSS);
	KUNIT_EXPECT_EQ(test, reno_full_ack_cwnd(test, 5), 4 * MSS);
}

/*
 * Six segments sent, two queued behind them; s1..s3 SACKed, s0 lost and
 * sent again; then the retransmission timer fires (ttp_loss_state()).
 */
static struct ttp_sock *timed_out(struct kunit *test, struct sk_buff **s,
				  struct sk_buff **unsent)
{
	struct ttp_sock *tsk = test_sock(test, true, ISS);

	send_segs(test, tsk, s, 6, ttp_clock_us());
	unsent[0] = queue_unsent(test, tsk, MSS);
	unsent[1] = queue_unsent(test, tsk, MSS);
	KUNIT_ASSERT_TRUE(test, sack(test, tsk, seq_of(s[1]), end_of(s[3])));
	resend(test, tsk, s[0], ttp_clock_us());
	ttp_loss_state(&tsk->inet.sk);
	return tsk;
}

/*
 * A timeout takes everything in flight for lost but what was SACKed (SACK
 * marks survive), a retransmission in flight too, nothing not yet sent;
 * the window restarts at one segment.
 * Catches: TTP_RETRANS not cleared (retrans_out 1000, s0 never sent
 * again); SACKed segments taken for lost (lost_out 6000); the walk not
 * stopped at send_head (unsent segments lost); cwnd not one MSS, ssthresh
 * not halved, recover not snd_nxt, or the state not LOSS.
 */
static void timeout_takes_all_but_the_sacked_for_lost(struct kunit *test)
{
	struct sk_buff *s[6], *unsent[2];
	struct ttp_sock *tsk = timed_out(test, s, unsent);

	KUNIT_EXPECT_EQ(test, marks(s[0]), TTP_LOST);
	KUNIT_EXPECT_EQ(test, marks(s[1]), TTP_SACKED);
	KUNIT_EXPECT_EQ(test, marks(s[2]), TTP_SACKED);
	KUNIT_EXPECT_EQ(test, marks(s[3]), TTP_SACKED);
	KUNIT_EXPECT_EQ(test, marks(s[4]), TTP_LOST);
	KUNIT_EXPECT_EQ(test, marks(s[5]), TTP_LOST);
	KUNIT_EXPECT_EQ(test, marks(unsent[0]), 0);
	KUNIT_EXPECT_EQ(test, marks(unsent[1]), 0);
	KUNIT_EXPECT_EQ(test, tsk->lost_out, 3 * MSS);
	KUNIT_EXPECT_EQ(test, tsk->sacked_out, 3 * MSS);
	KUNIT_EXPECT_EQ(test, tsk->retrans_out, 0U);
	KUNIT_EXPECT_EQ(test, ttp_in_flight(tsk), 0U);
	KUNIT_EXPECT_EQ(test, tsk->ca_state, (u8)TTP_CA_LOSS);
	KUNIT_EXPECT_EQ(test, tsk->recover, ISS + 6 * MSS);
	KUNIT_EXPECT_EQ(test, tsk->cc.cwnd, MSS);
	KUNIT_EXPECT_EQ(test, tsk->cc.ssthresh, 3 * MSS);
	KUNIT_EXPECT_EQ(test, tsk->dupacks, (u8)0);
}

/*
 * Path MTU discovery lowered the MSS to 600: what is in flight and longer
 * was dropped by a router and is lost, a retransmission too; what was
 * SACKed, what fits and what is not sent yet are not; the window stays,
 * and the state is LOSS until snd_nxt.
 * Catches: short segments taken for lost (s3 marked); SACKed ones (s1
 * lost, lost_out 3000); TTP_RETRANS not cleared (retrans_out 1000); the
 * walk not stopped at send_head (unsent lost); cwnd or ssthresh cut; the
 * state not LOSS or recover not snd_nxt.
 */
static void mtu_loss_takes_only_what_no_longer_fits(struct kunit *test)
{
	struct ttp_sock *tsk = test_sock(test, true, ISS);
	struct sk_buff *s[4], *unsent;

	s[0] = send_seg(test, tsk, MSS, ttp_clock_us());
	s[1] = send_seg(test, tsk, MSS, ttp_clock_us());
	s[2] = send_seg(test, tsk, MSS, ttp_clock_us());
	s[3] = send_seg(test, tsk, 500, ttp_clock_us());
	unsent = queue_unsent(test, tsk, MSS);
	/* One segment SACKed: not yet a loss, DISORDER. */
	KUNIT_ASSERT_FALSE(test, sack(test, tsk, seq_of(s[1]), end_of(s[1])));
	KUNIT_ASSERT_EQ(test, tsk->ca_state, (u8)TTP_CA_DISORDER);
	/* s2: taken for lost before, and sent again since. */
	TTP_SKB_CB(s[2])->sacked = TTP_LOST;
	tsk->lost_out += MSS;
	resend(test, tsk, s[2], ttp_clock_us());

	tsk->mss = 600;
	KUNIT_EXPECT_TRUE(test, ttp_mtu_loss_state(&tsk->inet.sk));
	KUNIT_EXPECT_EQ(test, marks(s[0]), TTP_LOST);
	KUNIT_EXPECT_EQ(test, marks(s[1]), TTP_SACKED);
	KUNIT_EXPECT_EQ(test, marks(s[2]), TTP_LOST);
	KUNIT_EXPECT_EQ(test, marks(s[3]), 0);
	KUNIT_EXPECT_EQ(test, marks(unsent), 0);
	KUNIT_EXPECT_EQ(test, tsk->lost_out, 2 * MSS);
	KUNIT_EXPECT_EQ(test, tsk->retrans_out, 0U);
	KUNIT_EXPECT_EQ(test, tsk->cc.cwnd, 10 * MSS);
	KUNIT_EXPECT_EQ(test, tsk->cc.ssthresh, U32_MAX);
	KUNIT_EXPECT_EQ(test, tsk->ca_state, (u8)TTP_CA_LOSS);
	KUNIT_EXPECT_EQ(test, tsk->recover, tsk->snd_nxt);
}

/* Nothing in flight is longer than the new MSS: nothing changes. */
static void mtu_loss_with_all_fitting_changes_nothing(struct kunit *test)
{
	struct ttp_sock *tsk = test_sock(test, true, ISS);
	struct sk_buff *s[2];

	send_segs(test, tsk, s, 2, ttp_clock_us());
	tsk->mss = MSS;
	KUNIT_EXPECT_FALSE(test, ttp_mtu_loss_state(&tsk->inet.sk));
	KUNIT_EXPECT_EQ(test, marks(s[0]), 0);
	KUNIT_EXPECT_EQ(test, tsk->lost_out, 0U);
	KUNIT_EXPECT_EQ(test, tsk->ca_state, (u8)TTP_CA_OPEN);
}

/*
 * In LOSS, an ACK of new data grows cwnd by slow start whether or not the
 * window limited the sender; a retransmission overtaken by a later one is
 * lost again (RACK); the ACK of recover ends LOSS.
 * Catches: growth gated on cwnd_limited in LOSS, or none (cwnd 1000);
 * LOSS ended by a partial ACK; ttp_rack_mark_lost() not called in LOSS
 * (s4 keeps TTP_RETRANS); LOSS not ended at recover.
 */
static void loss_state_slow_starts_and_ends_at_recover(struct kunit *test)
{
	struct sk_buff *s[6], *unsent[2];
	struct ttp_sock *tsk = timed_out(test, s, unsent);
	u32 t = ttp_clock_us();

	/* s0 sent a third time arrives; s1..s3 were SACKed: ACK to s4. */
	resend(test, tsk, s[0], t);
	KUNIT_EXPECT_FALSE(test, ack_to(test, tsk, ISS + 4 * MSS));
	KUNIT_EXPECT_EQ(test, tsk->ca_state, (u8)TTP_CA_LOSS);
	KUNIT_EXPECT_EQ(test, tsk->cc.cwnd, 3 * MSS);
	KUNIT_EXPECT_EQ(test, tsk->lost_out, 2 * MSS);
	KUNIT_EXPECT_EQ(test, tsk->sacked_out, 0U);

	/* s4 and s5 go again, 5 ms apart; s5's copy is SACKed first. */
	resend(test, tsk, s[4], t + 10000);
	resend(test, tsk, s[5], t + 15000);
	KUNIT_EXPECT_FALSE(test, sack(test, tsk, seq_of(s[5]), end_of(s[5])));
	KUNIT_EXPECT_EQ(test, marks(s[5]), TTP_SACKED);
	KUNIT_EXPECT_EQ(test, marks(s[4]), TTP_LOST);
	KUNIT_EXPECT_EQ(test, tsk->lost_out, MSS);
	KUNIT_EXPECT_EQ(test, tsk->retrans_out, 0U);
	KUNIT_EXPECT_EQ(test, tsk->ca_state, (u8)TTP_CA_LOSS);

	KUNIT_EXPECT_FALSE(test, ack_to(test, tsk, ISS + 6 * MSS));
	KUNIT_EXPECT_EQ(test, tsk->ca_state, (u8)TTP_CA_OPEN);
	KUNIT_EXPECT_EQ(test, tsk->lost_out, 0U);
	KUNIT_EXPECT_EQ(test, tsk->sacked_out, 0U);
	KUNIT_EXPECT_PTR_EQ(test, skb_peek(&tsk->inet.sk.sk_write_queue),
			    unsent[0]);
	KUNIT_EXPECT_PTR_EQ(test, tsk->send_head, unsent[0]);
}

/*
 * ttp_ack_update(): only segments acknowledged whole are freed; the
 * duplicate count ends; a segment sent once gives a round-trip sample.
 * Catches: a segment freed when only part of it is acknowledged (s1
 * gone); no sample from a segment sent once (srtt 0); dupacks not reset.
 */
static void ack_frees_whole_segments_and_times_them(struct kunit *test)
{
	struct ttp_sock *tsk = test_sock(test, false, ISS);
	u32 now = ttp_clock_us();
	struct sk_buff *s[3];

	s[0] = send_seg(test, tsk, MSS, now - 5000);
	s[1] = send_seg(test, tsk, MSS, now);
	s[2] = send_seg(test, tsk, MSS, now);
	KUNIT_EXPECT_FALSE(test, dupack(test, tsk));
	KUNIT_EXPECT_FALSE(test, dupack(test, tsk));

	KUNIT_EXPECT_EQ(test, ttp_ack_update(&tsk->inet.sk, ISS + 1500),
			1500U);
	KUNIT_EXPECT_EQ(test, tsk->snd_una, ISS + 1500);
	KUNIT_EXPECT_PTR_EQ(test, skb_peek(&tsk->inet.sk.sk_write_queue), s[1]);
	KUNIT_EXPECT_EQ(test, tsk->dupacks, (u8)0);
	KUNIT_EXPECT_GE(test, tsk->rtt.srtt_us, 5000U);
	KUNIT_EXPECT_LT(test, tsk->rtt.srtt_us, 5000U + USEC_PER_SEC);
}

/*
 * Karn's rule holds for the ACK: one that covers a retransmission gives no
 * sample, not even from a segment it covers that was sent once (held
 * beyond the hole for 50 ms).
 * Catches: Karn applied per segment (a 50 ms sample from s1).
 */
static void ack_covering_a_retransmission_gives_no_sample(struct kunit *test)
{
	struct ttp_sock *tsk = test_sock(test, false, ISS);
	u32 now = ttp_clock_us();
	struct sk_buff *s[4];

	send_segs(test, tsk, s, 4, now - 50000);
	reno_enter_recovery(test, tsk);
	resend(test, tsk, s[0], now - 1000);
	KUNIT_EXPECT_EQ(test, ttp_ack_update(&tsk->inet.sk, ISS + 2 * MSS),
			2 * MSS);
	KUNIT_EXPECT_EQ(test, tsk->rtt.srtt_us, 0U);
	KUNIT_EXPECT_EQ(test, tsk->lost_out, 0U);
	KUNIT_EXPECT_EQ(test, tsk->retrans_out, 0U);
}

/*
 * Outside recovery the window grows only if the last push stopped at it,
 * and each ACK of new data clears that (ttp_push() says it again).
 * Catches: growth regardless of cwnd_limited (11000 after the first ACK);
 * no growth in OPEN at all; cwnd_limited not cleared.
 */
static void open_window_grows_only_when_it_limited(struct kunit *test)
{
	struct ttp_sock *tsk = test_sock(test, false, ISS);
	struct sk_buff *s[4];

	send_segs(test, tsk, s, 4, ttp_clock_us());
	KUNIT_EXPECT_FALSE(test, ack_to(test, tsk, ISS + MSS));
	KUNIT_EXPECT_EQ(test, tsk->cc.cwnd, 10 * MSS);
	tsk->cwnd_limited = 1;
	KUNIT_EXPECT_FALSE(test, ack_to(test, tsk, ISS + 2 * MSS));
	KUNIT_EXPECT_EQ(test, tsk->cc.cwnd, 11 * MSS);
	KUNIT_EXPECT_FALSE(test, tsk->cwnd_limited);
	KUNIT_EXPECT_EQ(test, tsk->ca_state, (u8)TTP_CA_OPEN);
}

/*
 * A sender behind a zero window: nothing in flight, @len bytes waiting,
 * the persist timer pending at an RTO that the probes doubled to 120 s.
 */
static struct ttp_sock *persisting(struct kunit *test)
{
	struct ttp_sock *tsk = test_sock(test, true, ISS);
	struct sock *sk = &tsk->inet.sk;
	struct sk_buff *skb = alloc_skb(MSS, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_put(skb, MSS);
	TTP_SKB_CB(skb)->seq = ISS;
	TTP_SKB_CB(skb)->end_seq = ISS + MSS;
	__skb_queue_tail(&sk->sk_write_queue, skb);
	tsk->send_head = skb;
	tsk->write_seq = ISS + MSS;
	tsk->snd_wnd = 0;
	tsk->snd_wl1 = 5000;
	tsk->snd_wl2 = ISS;
	tsk->rtt.srtt_us = 10000;
	tsk->rtt.rttvar_us = 5000;
	tsk->rto = 120 * HZ;
	tsk->probes = 3;
	sk_reset_timer(sk, &tsk->rtx_timer, jiffies + tsk->rto);
	KUNIT_ASSERT_TRUE(test, ttp_window_closed(sk));
	return tsk;
}

/* Mutation: the backoff kept when the window opens. */
static void window_reopening_ends_the_probes_backoff(struct kunit *test)
{
	struct ttp_sock *tsk = persisting(test);

	ttp_rcv_window(&tsk->inet.sk, 5001, ISS, 65535);
	KUNIT_EXPECT_EQ(test, tsk->snd_wnd, 65535U);
	KUNIT_EXPECT_EQ(test, tsk->probes, 0U);
	/* From the estimate: within rto_min (200 ms) and a jiffy. */
	KUNIT_EXPECT_LE(test, tsk->rto, msecs_to_jiffies(200) + 1);
	/* ttp_push() starts it again, for the data it sends. */
	KUNIT_EXPECT_FALSE(test, timer_pending(&tsk->rtx_timer));
}

/* Mutation: the backoff ended by any answer to a probe. */
static void window_still_closed_keeps_the_probes_backoff(struct kunit *test)
{
	struct ttp_sock *tsk = persisting(test);

	ttp_rcv_window(&tsk->inet.sk, 5001, ISS, 0);
	KUNIT_EXPECT_EQ(test, tsk->probes, 0U);
	KUNIT_EXPECT_EQ(test, tsk->rto, 120UL * HZ);
	KUNIT_EXPECT_TRUE(test, timer_pending(&tsk->rtx_timer));
}

static struct kunit_case ttp_recovery_cases[] = {
	KUNIT_CASE(sack_marks_whole_segments_within_the_flight),
	KUNIT_CASE(sack_loss_needs_more_than_two_mss_sacked_above),
	KUNIT_CASE(sack_loss_counts_only_the_bytes_sacked_above),
	KUNIT_CASE(sack_third_new_sack_marks_the_oldest_lost),
	KUNIT_CASE(sack_recovery_ends_at_recover),
	KUNIT_CASE(lost_retransmission_is_detected_a_quarter_rtt_on),
	KUNIT_CASE(lost_retransmission_waits_at_least_one_ms),
	KUNIT_CASE(reno_third_duplicate_ack_starts_fast_retransmit),
	KUNIT_CASE(reno_partial_ack_resends_the_next_hole),
	KUNIT_CASE(reno_full_ack_ends_recovery),
	KUNIT_CASE(timeout_takes_all_but_the_sacked_for_lost),
	KUNIT_CASE(mtu_loss_takes_only_what_no_longer_fits),
	KUNIT_CASE(mtu_loss_with_all_fitting_changes_nothing),
	KUNIT_CASE(loss_state_slow_starts_and_ends_at_recover),
	KUNIT_CASE(ack_frees_whole_segments_and_times_them),
	KUNIT_CASE(ack_covering_a_retransmission_gives_no_sample),
	KUNIT_CASE(open_window_grows_only_when_it_limited),
	KUNIT_CASE(window_reopening_ends_the_probes_backoff),
	KUNIT_CASE(window_still_closed_keeps_the_probes_backoff),
	{}
};

static struct kunit_suite ttp_recovery_suite = {
	.name = "ttp_recovery",
	.test_cases = ttp_recovery_cases,
};

kunit_test_suite(ttp_recovery_suite);
