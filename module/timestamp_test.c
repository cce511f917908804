// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the timestamp option's arithmetic (timestamp.c): PAWS
 * across the wrap of the 32-bit clock, the round trip an echo measures,
 * and how fast the RTO comes back once echoes measure a short path again
 * after a stall.  Part of ttp_kunit.ko (kunit.c).
 */
#include <kunit/test.h>

#include "ttp.h"

#define DAY_S	(24U * 3600)

static void paws_refuses_only_older_timestamps(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, ttp_paws_reject(1000, 999, 0));
	KUNIT_EXPECT_FALSE(test, ttp_paws_reject(1000, 1000, 0));
	KUNIT_EXPECT_FALSE(test, ttp_paws_reject(1000, 1001, 0));
}

static void paws_compares_across_the_wrap(struct kunit *test)
{
	/* The clock wrapped between the two: 0x10 is newer. */
	KUNIT_EXPECT_FALSE(test, ttp_paws_reject(0xfffffff0, 0x10, 0));
	KUNIT_EXPECT_TRUE(test, ttp_paws_reject(0x10, 0xfffffff0, 0));
	/* Up to 2^31 - 1 ticks ahead is newer, 2^31 + 1 behind. */
	KUNIT_EXPECT_FALSE(test, ttp_paws_reject(0, 0x7fffffff, 0));
	KUNIT_EXPECT_TRUE(test, ttp_paws_reject(0, 0x80000001, 0));
}

static void paws_forgets_a_timestamp_idle_for_24_days(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, ttp_paws_reject(1000, 1, 24 * DAY_S - 1));
	KUNIT_EXPECT_FALSE(test, ttp_paws_reject(1000, 1, 24 * DAY_S));
	KUNIT_EXPECT_FALSE(test, ttp_paws_reject(1000, 1, U32_MAX));
}

static void echo_measures_the_round_trip_in_ticks(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, ttp_ts_rtt_us(1250, 1000, 120000), 250000U);
	/* Shorter than a tick: one tick. */
	KUNIT_EXPECT_EQ(test, ttp_ts_rtt_us(1000, 1000, 120000), 1000U);
	/* Across the wrap of the clock. */
	KUNIT_EXPECT_EQ(test, ttp_ts_rtt_us(5, 0xfffffffb, 120000), 10000U);
	/* Up to the largest RTO, and no further. */
	KUNIT_EXPECT_EQ(test, ttp_ts_rtt_us(120000, 0, 120000), 120000000U);
	KUNIT_EXPECT_EQ(test, ttp_ts_rtt_us(120001, 0, 120000), 0U);
}

static void echo_from_the_future_measures_nothing(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, ttp_ts_rtt_us(1000, 1001, 120000), 0U);
	KUNIT_EXPECT_EQ(test, ttp_ts_rtt_us(0, 0x80000000, U32_MAX), 0U);
}

/*
 * The estimator after a stall left it at its worst (SRTT 28 s, RTTVAR 44 s,
 * the RTO at 120 s, as a flood once did): samples of 1 ms, one an ACK,
 * bring the RTO under 1 s within 64 ACKs, a few round trips of a transfer.
 * Documentation/protocol.rst quotes this bound.
 */
static void rto_comes_back_within_64_short_samples(struct kunit *test)
{
	struct ttp_rtt r = { .srtt_us = 28100168, .rttvar_us = 44587277 };
	unsigned int n;

	KUNIT_ASSERT_EQ(test, ttp_rtt_rto_us(&r, 4000, 200000, 120000000),
			120000000U);
	for (n = 0; n < 64; n++) {
		ttp_rtt_sample(&r, ttp_ts_rtt_us(2000, 1999, 120000));
		if (ttp_rtt_rto_us(&r, 4000, 200000, 120000000) < 1000000)
			break;
	}
	kunit_info(test, "RTO under 1 s after %u samples", n + 1);
	KUNIT_EXPECT_LT(test, n, 64U);
}

static struct kunit_case ttp_timestamp_cases[] = {
	KUNIT_CASE(paws_refuses_only_older_timestamps),
	KUNIT_CASE(paws_compares_across_the_wrap),
	KUNIT_CASE(paws_forgets_a_timestamp_idle_for_24_days),
	KUNIT_CASE(echo_measures_the_round_trip_in_ticks),
	KUNIT_CASE(echo_from_the_future_measures_nothing),
	KUNIT_CASE(rto_comes_back_within_64_short_samples),
	{}
};

static struct kunit_suite ttp_timestamp_suite = {
	.name = "ttp_timestamp",
	.test_cases = ttp_timestamp_cases,
};

kunit_test_suite(ttp_timestamp_suite);
