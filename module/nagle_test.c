// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of Nagle's algorithm and the cork (output.c,
 * ttp_nagle_hold()): which partial segment waits, as TCP's
 * tcp_nagle_check() with Minshall's variant decides.  Part of
 * ttp_kunit.ko (kunit.c).
 *
 * Each case names the mutation it catches.
 */
#include <kunit/test.h>

#include "ttp.h"

#define MSS	1000U
#define UNA	5000U

/* Catches: a full segment held, or an empty one (a FIN or SYN alone). */
static void full_and_empty_segments_never_wait(struct kunit *test)
{
	unsigned int n;

	for (n = 0; n <= TTP_NAGLE_PUSH; n++) {
		KUNIT_EXPECT_FALSE(test, ttp_nagle_hold(MSS, MSS, n, UNA,
							UNA + 100, UNA + 100));
		KUNIT_EXPECT_FALSE(test, ttp_nagle_hold(0, MSS, n, UNA,
							UNA + 100, UNA + 100));
	}
}

/* Catches: Nagle off, or holding with nothing in flight (a stall). */
static void partial_waits_behind_a_partial_segment_in_flight(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, ttp_nagle_hold(1, MSS, 0, UNA, UNA + 1,
					       UNA + 1));
	/* Nothing in flight: it goes. */
	KUNIT_EXPECT_FALSE(test, ttp_nagle_hold(1, MSS, 0, UNA, UNA, UNA));
	/* The partial one is acknowledged, full ones are in flight. */
	KUNIT_EXPECT_FALSE(test, ttp_nagle_hold(1, MSS, 0, UNA,
						UNA + 3 * MSS, UNA));
}

/*
 * Catches: RFC 896 as written (wait while anything is in flight), which
 * holds the rest of a message behind its full segment until the delayed
 * ACK: Minshall's variant lets it go.
 */
static void partial_goes_behind_full_segments_in_flight(struct kunit *test)
{
	KUNIT_EXPECT_FALSE(test, ttp_nagle_hold(MSS / 2, MSS, 0, UNA,
						UNA + MSS, UNA - 10));
	/* snd_sml from before the wrap of the sequence space. */
	KUNIT_EXPECT_FALSE(test, ttp_nagle_hold(MSS / 2, MSS, 0, 10,
						10 + MSS, 0xfffffff0U));
	KUNIT_EXPECT_TRUE(test, ttp_nagle_hold(MSS / 2, MSS, 0, 0xfffffff0U,
					       10 + MSS, 5));
}

/* Catches: TTP_NODELAY, TTP_CORK or the push of an uncork ignored. */
static void nodelay_never_waits_cork_always_push_overrides(struct kunit *test)
{
	KUNIT_EXPECT_FALSE(test, ttp_nagle_hold(1, MSS, TTP_NAGLE_OFF, UNA,
						UNA + 1, UNA + 1));
	KUNIT_EXPECT_TRUE(test, ttp_nagle_hold(1, MSS, TTP_NAGLE_CORK, UNA,
					       UNA, UNA));
	KUNIT_EXPECT_TRUE(test, ttp_nagle_hold(1, MSS, TTP_NAGLE_CORK |
					       TTP_NAGLE_OFF, UNA, UNA, UNA));
	KUNIT_EXPECT_FALSE(test, ttp_nagle_hold(1, MSS, TTP_NAGLE_CORK |
						TTP_NAGLE_PUSH, UNA, UNA + 1,
						UNA + 1));
}

static struct kunit_case ttp_nagle_cases[] = {
	KUNIT_CASE(full_and_empty_segments_never_wait),
	KUNIT_CASE(partial_waits_behind_a_partial_segment_in_flight),
	KUNIT_CASE(partial_goes_behind_full_segments_in_flight),
	KUNIT_CASE(nodelay_never_waits_cork_always_push_overrides),
	{}
};

static struct kunit_suite ttp_nagle_suite = {
	.name = "ttp_nagle",
	.test_cases = ttp_nagle_cases,
};

kunit_test_suite(ttp_nagle_suite);
