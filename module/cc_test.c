// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the sender's arithmetic (cc.c): the RFC 6298 round-trip
 * estimator and retransmission timeout, and the congestion window (RFC
 * 5681, RFC 3465, RFC 6928).  Expected values are worked out by hand from
 * the RFCs' formulas.  Part of ttp_kunit.ko (kunit.c).
 */
#include <kunit/test.h>
#include <linux/limits.h>

#include "cc.h"

#define G	4000U		/* clock granularity, us */
#define RTO_MIN	200000U
#define RTO_MAX	120000000U
#define MSS	1000U

static u32 rto(const struct ttp_rtt *r)
{
	return ttp_rtt_rto_us(r, G, RTO_MIN, RTO_MAX);
}

static void first_sample_sets_srtt_and_half_of_it_as_rttvar(struct kunit *test)
{
	struct ttp_rtt r = {};

	ttp_rtt_sample(&r, 100000);
	KUNIT_EXPECT_EQ(test, r.srtt_us, 100000U);
	KUNIT_EXPECT_EQ(test, r.rttvar_us, 50000U);
	/* RTO = SRTT + max(G, 4 * RTTVAR) */
	KUNIT_EXPECT_EQ(test, rto(&r), 300000U);
}

static void later_samples_weigh_one_eighth_and_one_quarter(struct kunit *test)
{
	struct ttp_rtt r = {};

	ttp_rtt_sample(&r, 100000);
	ttp_rtt_sample(&r, 200000);
	/* RTTVAR = 3/4 * 50000 + 1/4 * |100000 - 200000|, with the old SRTT */
	KUNIT_EXPECT_EQ(test, r.rttvar_us, 62500U);
	/* SRTT = 7/8 * 100000 + 1/8 * 200000 */
	KUNIT_EXPECT_EQ(test, r.srtt_us, 112500U);
	KUNIT_EXPECT_EQ(test, rto(&r), 112500U + 4 * 62500U);

	ttp_rtt_sample(&r, 12500);
	KUNIT_EXPECT_EQ(test, r.rttvar_us, 46875U + 25000U);
	KUNIT_EXPECT_EQ(test, r.srtt_us, 98438U + 1562U);
}

static void steady_samples_converge_and_granularity_takes_over(struct kunit *test)
{
	struct ttp_rtt r = {};
	int i;

	ttp_rtt_sample(&r, 300000);
	for (i = 0; i < 200; i++)
		ttp_rtt_sample(&r, 300000);
	KUNIT_EXPECT_EQ(test, r.srtt_us, 300000U);
	KUNIT_EXPECT_LT(test, r.rttvar_us, G / 4);
	/* 4 * RTTVAR is below G now: RTO = SRTT + G. */
	KUNIT_EXPECT_EQ(test, rto(&r), 300000U + G);
}

static void rto_stays_within_its_bounds(struct kunit *test)
{
	struct ttp_rtt r = {};

	ttp_rtt_sample(&r, 1000);		/* 1 ms: 1000 + 2000 */
	KUNIT_EXPECT_EQ(test, rto(&r), RTO_MIN);
	r.srtt_us = U32_MAX;
	r.rttvar_us = U32_MAX;			/* no overflow on the way */
	KUNIT_EXPECT_EQ(test, rto(&r), RTO_MAX);
	r.srtt_us = 100000000;
	r.rttvar_us = 10000000;
	KUNIT_EXPECT_EQ(test, rto(&r), RTO_MAX);
}

static void zero_sample_still_counts_as_a_measurement(struct kunit *test)
{
	struct ttp_rtt r = {};

	/* SRTT 0 means "no sample yet": a 0 us round trip must not be that. */
	ttp_rtt_sample(&r, 0);
	KUNIT_EXPECT_NE(test, r.srtt_us, 0U);
}

static void extreme_samples_never_wrap(struct kunit *test)
{
	struct ttp_rtt r = {};
	int i;

	for (i = 0; i < 50; i++) {
		ttp_rtt_sample(&r, i & 1 ? 1 : U32_MAX);
		KUNIT_EXPECT_GT(test, r.srtt_us, 0U);
		KUNIT_EXPECT_GE(test, rto(&r), RTO_MIN);
		KUNIT_EXPECT_LE(test, rto(&r), RTO_MAX);
	}
	/* Mostly huge samples keep SRTT huge (a wrap would make it small). */
	KUNIT_EXPECT_GT(test, r.srtt_us, U32_MAX / 4);
}

static void initial_window_follows_rfc6928(struct kunit *test)
{
	/* min(10 * MSS, max(2 * MSS, 14600)) */
	KUNIT_EXPECT_EQ(test, ttp_cc_initial_window(1460), 14600U);
	KUNIT_EXPECT_EQ(test, ttp_cc_initial_window(536), 5360U);
	KUNIT_EXPECT_EQ(test, ttp_cc_initial_window(64), 640U);
	KUNIT_EXPECT_EQ(test, ttp_cc_initial_window(9000), 18000U);
	KUNIT_EXPECT_EQ(test, ttp_cc_initial_window(7300), 14600U);
}

static void init_starts_in_slow_start_without_threshold(struct kunit *test)
{
	struct ttp_cc cc;

	memset(&cc, 0xaa, sizeof(cc));
	ttp_cc_init(&cc, MSS);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 10 * MSS);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, U32_MAX);
	KUNIT_EXPECT_EQ(test, cc.acked_acc, 0U);
}

static void slow_start_doubles_the_window_each_round_trip(struct kunit *test)
{
	struct ttp_cc cc;
	u32 i, w;

	ttp_cc_init(&cc, MSS);
	for (w = 10; w <= 80; w *= 2) {
		KUNIT_ASSERT_EQ(test, cc.cwnd, w * MSS);
		for (i = 0; i < w; i++)	/* a window's worth of ACKs */
			ttp_cc_on_ack(&cc, MSS, MSS);
	}
}

static void slow_start_grows_at_most_two_mss_an_ack(struct kunit *test)
{
	struct ttp_cc cc;

	ttp_cc_init(&cc, MSS);
	ttp_cc_on_ack(&cc, 7 * MSS, MSS);	/* RFC 3465, L = 2 */
	KUNIT_EXPECT_EQ(test, cc.cwnd, 12 * MSS);
	ttp_cc_on_ack(&cc, 100, MSS);		/* a partial segment */
	KUNIT_EXPECT_EQ(test, cc.cwnd, 12 * MSS + 100);
}

static void slow_start_stops_at_ssthresh_and_the_rest_goes_to_avoidance(struct kunit *test)
{
	struct ttp_cc cc = { .cwnd = 9 * MSS, .ssthresh = 10 * MSS };

	ttp_cc_on_ack(&cc, 2 * MSS, MSS);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 10 * MSS);
	KUNIT_EXPECT_EQ(test, cc.acked_acc, MSS);
}

static void avoidance_adds_one_mss_per_window_acknowledged(struct kunit *test)
{
	struct ttp_cc cc = { .cwnd = 10 * MSS, .ssthresh = 5 * MSS };
	u32 i;

	for (i = 0; i < 9; i++)
		ttp_cc_on_ack(&cc, MSS, MSS);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 10 * MSS);	/* not yet */
	ttp_cc_on_ack(&cc, MSS, MSS);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 11 * MSS);
	KUNIT_EXPECT_EQ(test, cc.acked_acc, 0U);
	for (i = 0; i < 11; i++)
		ttp_cc_on_ack(&cc, MSS, MSS);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 12 * MSS);
}

static void fast_retransmit_halves_the_flight(struct kunit *test)
{
	struct ttp_cc cc = { .cwnd = 40 * MSS, .ssthresh = U32_MAX,
			     .acked_acc = 123 };

	ttp_cc_on_fast_retransmit(&cc, 20 * MSS, MSS);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, 10 * MSS);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 10 * MSS);
	KUNIT_EXPECT_EQ(test, cc.acked_acc, 0U);
	/* Never below two segments (RFC 5681 (4)). */
	ttp_cc_on_fast_retransmit(&cc, MSS, MSS);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, 2 * MSS);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 2 * MSS);
}

static void timeout_restarts_from_one_segment_then_slow_starts(struct kunit *test)
{
	struct ttp_cc cc = { .cwnd = 40 * MSS, .ssthresh = U32_MAX };

	ttp_cc_on_timeout(&cc, 20 * MSS, MSS);
	KUNIT_EXPECT_EQ(test, cc.cwnd, MSS);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, 10 * MSS);
	ttp_cc_on_ack(&cc, MSS, MSS);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 2 * MSS);	/* slow start again */
	ttp_cc_on_timeout(&cc, 0, MSS);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, 2 * MSS);
	KUNIT_EXPECT_EQ(test, cc.cwnd, MSS);
}

static struct kunit_case ttp_cc_cases[] = {
	KUNIT_CASE(first_sample_sets_srtt_and_half_of_it_as_rttvar),
	KUNIT_CASE(later_samples_weigh_one_eighth_and_one_quarter),
	KUNIT_CASE(steady_samples_converge_and_granularity_takes_over),
	KUNIT_CASE(rto_stays_within_its_bounds),
	KUNIT_CASE(zero_sample_still_counts_as_a_measurement),
	KUNIT_CASE(extreme_samples_never_wrap),
	KUNIT_CASE(initial_window_follows_rfc6928),
	KUNIT_CASE(init_starts_in_slow_start_without_threshold),
	KUNIT_CASE(slow_start_doubles_the_window_each_round_trip),
	KUNIT_CASE(slow_start_grows_at_most_two_mss_an_ack),
	KUNIT_CASE(slow_start_stops_at_ssthresh_and_the_rest_goes_to_avoidance),
	KUNIT_CASE(avoidance_adds_one_mss_per_window_acknowledged),
	KUNIT_CASE(fast_retransmit_halves_the_flight),
	KUNIT_CASE(timeout_restarts_from_one_segment_then_slow_starts),
	{}
};

static struct kunit_suite ttp_cc_suite = {
	.name = "ttp_cc",
	.test_cases = ttp_cc_cases,
};

kunit_test_suite(ttp_cc_suite);
