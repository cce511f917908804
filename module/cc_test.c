// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the sender's arithmetic (cc.c, cubic.c, congestion.c):
 * the RFC 6298 round-trip estimator and retransmission timeout, the
 * congestion window of NewReno (RFC 5681, RFC 3465, RFC 6928) and of
 * CUBIC (RFC 9438), and the registry of controllers.  Expected values are
 * worked out by hand from the RFCs' formulas.  Part of ttp_kunit.ko
 * (kunit.c).
 */
#include <kunit/test.h>
#include <linux/limits.h>
#include <linux/module.h>

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

static void newreno_by_name_is_the_default_arithmetic(struct kunit *test)
{
	struct ttp_cc a = { .cwnd = 10 * MSS, .ssthresh = 5 * MSS };
	struct ttp_cc b = a;
	struct ttp_cc_ack ack = { .acked = MSS, .mss = MSS };
	u32 i;

	/* ops NULL and ops = &ttp_newreno: one and the same controller. */
	b.ops = &ttp_newreno;
	for (i = 0; i < 25; i++) {
		ttp_cc_on_ack(&a, MSS, MSS);
		ttp_cc_cong_avoid(&b, &ack);
	}
	KUNIT_EXPECT_EQ(test, b.cwnd, a.cwnd);
	KUNIT_EXPECT_EQ(test, b.cwnd, 12 * MSS);
	ttp_cc_on_fast_retransmit(&b, 20 * MSS, MSS);
	KUNIT_EXPECT_EQ(test, b.ssthresh, 10 * MSS);
	KUNIT_EXPECT_STREQ(test, ttp_cc_name(&a), "newreno");
	KUNIT_EXPECT_STREQ(test, ttp_cc_name(&b), "newreno");
}

/*
 * CUBIC, RFC 9438, with C = 0.4 segments/s^3, beta = 0.7, MSS = 1000:
 *
 *   K = cbrt((W_max - cwnd_epoch) / C)              (2)
 *   W_cubic(t) = C * (t - K)^3 + W_max              (1)
 *
 * W_max = 100 segments, cwnd_epoch = beta * W_max = 70:
 *   K = cbrt(30 / 0.4) = cbrt(75) = 4.21716 s: 4217 ms, truncated.
 * W_max = 1000, cwnd_epoch = 700: K = cbrt(750) = 9.08560 s: 9085 ms.
 * W_max = 10, cwnd_epoch = 9: K = cbrt(2.5) = 1.35721 s: 1357 ms.
 */
static void cubic_k_follows_rfc9438(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, ttp_cubic_k_ms(100 * MSS, 70 * MSS, MSS), 4217U);
	KUNIT_EXPECT_EQ(test, ttp_cubic_k_ms(1000 * MSS, 700 * MSS, MSS),
			9085U);
	KUNIT_EXPECT_EQ(test, ttp_cubic_k_ms(10 * MSS, 9 * MSS, MSS), 1357U);
	/* The same windows with another MSS: the same K. */
	KUNIT_EXPECT_EQ(test, ttp_cubic_k_ms(100 * 1460, 70 * 1460, 1460),
			4217U);
	/* No climb back: K = 0. */
	KUNIT_EXPECT_EQ(test, ttp_cubic_k_ms(70 * MSS, 70 * MSS, MSS), 0U);
	KUNIT_EXPECT_EQ(test, ttp_cubic_k_ms(70 * MSS, 80 * MSS, MSS), 0U);
	/* The largest windows do not overflow: cbrt(2^32 * 2.5e9 / 1) ms. */
	KUNIT_EXPECT_EQ(test, ttp_cubic_k_ms(U32_MAX, 0, 1), 2206141U);
}

/* |got - want| <= slack */
#define EXPECT_NEAR(test, got, want, slack) \
	KUNIT_EXPECT_LE(test, abs((s64)(got) - (s64)(want)), (s64)(slack))

/*
 * W_cubic(t) in bytes, W_max = 100000, K = 4217 ms:
 *   t = K:        W_max                                  = 100000
 *   t = K/2 = 2108 ms: 100000 - 0.4 * 2.109^3 * 1000     =  96247.8
 *   t = 2K = 8434 ms:  100000 + 0.4 * 4.217^3 * 1000     = 129996.5
 *     (with K exact, W_cubic(2K) = W_max + (W_max - cwnd_epoch) = 130000)
 *   t = 0:             100000 - 29996.5                  =  70003.5
 *     (cwnd_epoch, 70000, give or take K's truncation)
 *   t = K + 10 s:      100000 + 0.4 * 1000 * 1000        = 500000
 */
static void cubic_window_follows_the_cubic(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, ttp_cubic_window(100000, 4217, 4217, MSS),
			100000U);
	EXPECT_NEAR(test, ttp_cubic_window(100000, 4217, 2108, MSS), 96248, 1);
	EXPECT_NEAR(test, ttp_cubic_window(100000, 4217, 8434, MSS), 129996, 1);
	EXPECT_NEAR(test, ttp_cubic_window(100000, 4217, 0, MSS), 70003, 1);
	EXPECT_NEAR(test, ttp_cubic_window(100000, 4217, 14217, MSS), 500000,
		    1);
	/* Far out: bounded, not wrapped, with the largest MSS too. */
	KUNIT_EXPECT_EQ(test, ttp_cubic_window(100000, 0, U32_MAX, MSS),
			U32_MAX);
	KUNIT_EXPECT_EQ(test, ttp_cubic_window(100000, 0, U32_MAX, 65535),
			U32_MAX);
	KUNIT_EXPECT_EQ(test, ttp_cubic_window(U32_MAX, 0, 1, 65535),
			U32_MAX);
	KUNIT_EXPECT_EQ(test, ttp_cubic_window(100000, U32_MAX, 0, MSS), 0U);
}

/*
 * A full window acknowledged every round trip of @rtt_ms, one ACK a
 * segment, spread over the round trip, @rtts times.
 */
static u32 cubic_round_trips(struct ttp_cc *cc, u32 *now_us, u32 rtt_ms,
			     u32 rtts)
{
	while (rtts--) {
		u32 i, n = cc->cwnd / MSS;

		for (i = 0; i < n; i++) {
			struct ttp_cc_ack a = {
				.acked = MSS, .mss = MSS,
				.srtt_us = rtt_ms * 1000,
				.now_us = *now_us + rtt_ms * 1000 * i / n,
			};

			ttp_cc_cong_avoid(cc, &a);
		}
		*now_us += rtt_ms * 1000;
	}
	return cc->cwnd;
}

static void cubic_loss_sets_w_max_and_cuts_to_beta(struct kunit *test)
{
	struct ttp_cc cc = { .cwnd = 100 * MSS, .ssthresh = U32_MAX,
			     .ops = &ttp_cubic };
	struct ttp_info info = {};

	ttp_cc_on_fast_retransmit(&cc, 100 * MSS, MSS);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, 70 * MSS);	/* beta * flight */
	KUNIT_EXPECT_EQ(test, cc.cwnd, 70 * MSS);
	ttp_cc_get_info(&cc, &info);
	KUNIT_EXPECT_STREQ(test, info.ttpi_ca_name, "cubic");
	KUNIT_EXPECT_EQ(test, info.ttpi_ca_wmax, 100 * MSS);

	/* A timeout: the same cut of ssthresh, then one segment. */
	cc.cwnd = 100 * MSS;
	ttp_cc_on_timeout(&cc, 50 * MSS, MSS);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, 35 * MSS);
	KUNIT_EXPECT_EQ(test, cc.cwnd, MSS);
}

/*
 * After a loss at W_max = 100 segments, with a round trip of 100 ms (so
 * that the Reno-friendly W_est, 70 + 9/17 segment a round trip, stays
 * below the cubic until t = 2K): the window keeps within a segment of
 * [W_cubic(t), W_cubic(t + RTT)] (RFC 9438 4.2: each ACK moves it towards
 * W_cubic(t + RTT)):
 *   t = 2100 ms (about K/2): W_cubic = 100000 - 0.4 * 2.117^3 * 1000
 *                                    = 96205 .. W_cubic(2200) = 96718
 *   t = 4300 ms (just past K): 100000 .. 100000 (flat around W_max)
 *   t = 8500 ms (just past 2K): 100000 + 0.4 * 4.283^3 * 1000
 *                                    = 131427 .. W_cubic(8600) = 133680
 */
static void cubic_window_climbs_back_to_w_max_at_k(struct kunit *test)
{
	struct ttp_cc cc = { .cwnd = 100 * MSS, .ssthresh = U32_MAX,
			     .ops = &ttp_cubic };
	struct ttp_info info = {};
	u32 now = 1000000, w;

	ttp_cc_on_fast_retransmit(&cc, 100 * MSS, MSS);
	w = cubic_round_trips(&cc, &now, 100, 21);
	KUNIT_EXPECT_GE(test, w, 96205U - MSS);
	KUNIT_EXPECT_LE(test, w, 96718U + MSS);
	ttp_cc_get_info(&cc, &info);
	KUNIT_EXPECT_EQ(test, info.ttpi_ca_k, 4217U);

	w = cubic_round_trips(&cc, &now, 100, 22);	/* t = 4300 ms */
	EXPECT_NEAR(test, w, 100000, MSS);

	w = cubic_round_trips(&cc, &now, 100, 42);	/* t = 8500 ms */
	KUNIT_EXPECT_GE(test, w, 131427U - MSS);
	KUNIT_EXPECT_LE(test, w, 133680U + MSS);
}

/*
 * With a round trip of 1 ms the cubic hardly moves in 50 ms (W_cubic(50
 * ms) = 100000 - 0.4 * 4.167^3 * 1000 = 71058), but Reno would have
 * grown by 50 * alpha segments: CUBIC follows W_est = 70000 + 50 * 9/17 *
 * 1000 = 96471 (RFC 9438 4.3), give or take a segment.
 */
static void cubic_follows_reno_where_reno_is_ahead(struct kunit *test)
{
	struct ttp_cc cc = { .cwnd = 100 * MSS, .ssthresh = U32_MAX,
			     .ops = &ttp_cubic };
	u32 now = 1000000, w;

	ttp_cc_on_fast_retransmit(&cc, 100 * MSS, MSS);
	w = cubic_round_trips(&cc, &now, 1, 50);
	EXPECT_NEAR(test, w, 96471, MSS);
	KUNIT_EXPECT_GT(test, w, ttp_cubic_window(100 * MSS, 4217, 50, MSS));
}

/*
 * Fast convergence (RFC 9438 4.7): a loss below the window of the loss
 * before makes W_max (1 + beta) / 2 of the window: at 80 segments after a
 * loss at 100, W_max = 80 * 0.85 = 68 segments.
 */
static void cubic_fast_convergence_lowers_w_max(struct kunit *test)
{
	struct ttp_cc cc = { .cwnd = 100 * MSS, .ssthresh = U32_MAX,
			     .ops = &ttp_cubic };
	struct ttp_info info = {};

	ttp_cc_on_fast_retransmit(&cc, 100 * MSS, MSS);
	cc.cwnd = 80 * MSS;
	ttp_cc_on_fast_retransmit(&cc, 80 * MSS, MSS);
	ttp_cc_get_info(&cc, &info);
	KUNIT_EXPECT_EQ(test, info.ttpi_ca_wmax, 68 * MSS);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, 56 * MSS);
	/* Above the last: W_max is the window. */
	cc.cwnd = 90 * MSS;
	ttp_cc_on_fast_retransmit(&cc, 90 * MSS, MSS);
	ttp_cc_get_info(&cc, &info);
	KUNIT_EXPECT_EQ(test, info.ttpi_ca_wmax, 90 * MSS);
}

static void cubic_slow_starts_up_to_ssthresh(struct kunit *test)
{
	struct ttp_cc cc = { .ops = &ttp_cubic };
	struct ttp_cc_ack a = { .acked = 7 * MSS, .mss = MSS };

	ttp_cc_start(&cc, MSS);
	KUNIT_EXPECT_PTR_EQ(test, cc.ops, (const struct ttp_cc_ops *)&ttp_cubic);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 10 * MSS);
	ttp_cc_cong_avoid(&cc, &a);		/* L = 2 */
	KUNIT_EXPECT_EQ(test, cc.cwnd, 12 * MSS);
	cc.ssthresh = 13 * MSS;
	ttp_cc_cong_avoid(&cc, &a);		/* not past ssthresh */
	KUNIT_EXPECT_EQ(test, cc.cwnd, 13 * MSS);
}

static void noop_cong_avoid(struct ttp_cc *cc, const struct ttp_cc_ack *a)
{
}

static u32 noop_ssthresh(struct ttp_cc *cc, u32 in_flight, u32 mss)
{
	return cc->cwnd;
}

static void registry_refuses_a_taken_name_or_a_missing_hook(struct kunit *test)
{
	struct ttp_cc_ops dup = { .name = "cubic", .cong_avoid = noop_cong_avoid,
				  .ssthresh = noop_ssthresh };
	struct ttp_cc_ops half = { .name = "ttp_kunit_half",
				   .cong_avoid = noop_cong_avoid };
	struct ttp_cc_ops fine = { .name = "ttp_kunit_fine",
				   .cong_avoid = noop_cong_avoid,
				   .ssthresh = noop_ssthresh,
				   .owner = THIS_MODULE };
	struct ttp_cc cc = { .cwnd = 10 * MSS };
	const struct ttp_cc_ops *got;
	int refs = module_refcount(THIS_MODULE);

	KUNIT_EXPECT_EQ(test, ttp_cc_register(&dup), -EEXIST);
	KUNIT_EXPECT_EQ(test, ttp_cc_register(&half), -EINVAL);
	KUNIT_ASSERT_EQ(test, ttp_cc_register(&fine), 0);
	got = ttp_cc_get("ttp_kunit_fine");
	KUNIT_EXPECT_PTR_EQ(test, got, (const struct ttp_cc_ops *)&fine);
	/* The reference is on the module that holds the code. */
	KUNIT_EXPECT_EQ(test, module_refcount(THIS_MODULE), refs + 1);
	ttp_cc_set(&cc, got, MSS);
	KUNIT_EXPECT_STREQ(test, ttp_cc_name(&cc), "ttp_kunit_fine");
	KUNIT_EXPECT_EQ(test, cc.cwnd, 10 * MSS);	/* the window stays */
	ttp_cc_release(&cc);
	KUNIT_EXPECT_EQ(test, module_refcount(THIS_MODULE), refs);
	KUNIT_EXPECT_STREQ(test, ttp_cc_name(&cc), "newreno");
	ttp_cc_unregister(&fine);
	got = ttp_cc_get("cubic");
	KUNIT_EXPECT_PTR_EQ(test, got, (const struct ttp_cc_ops *)&ttp_cubic);
	ttp_cc_put(got);
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
	KUNIT_CASE(newreno_by_name_is_the_default_arithmetic),
	KUNIT_CASE(cubic_k_follows_rfc9438),
	KUNIT_CASE(cubic_window_follows_the_cubic),
	KUNIT_CASE(cubic_loss_sets_w_max_and_cuts_to_beta),
	KUNIT_CASE(cubic_window_climbs_back_to_w_max_at_k),
	KUNIT_CASE(cubic_follows_reno_where_reno_is_ahead),
	KUNIT_CASE(cubic_fast_convergence_lowers_w_max),
	KUNIT_CASE(cubic_slow_starts_up_to_ssthresh),
	KUNIT_CASE(registry_refuses_a_taken_name_or_a_missing_hook),
	{}
};

static struct kunit_suite ttp_cc_suite = {
	.name = "ttp_cc",
	.test_cases = ttp_cc_cases,
};

kunit_test_suite(ttp_cc_suite);
