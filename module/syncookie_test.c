// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the SYN cookie itself (syncookie.c): a cookie opens for
 * the connection and the periods it was made for, with the data it was
 * made with, and for nothing else.  What the data holds is tested with
 * negotiation (negotiate_test.c).  A forged cookie passes the 23-bit MAC
 * with probability 2^-22 (two periods are tried), so each refusal below
 * holds but for that chance.  Part of ttp_kunit.ko (kunit.c).
 */
#include <kunit/test.h>

#include "ttp.h"

#define LADDR	cpu_to_be32(0x0a000001)		/* 10.0.0.1 */
#define RADDR	cpu_to_be32(0x0a000002)		/* 10.0.0.2 */
#define LPORT	cpu_to_be16(80)
#define RPORT	cpu_to_be16(40000)
#define ISN	0xfffffff0U
#define DATA_SHIFT	(32 - TTP_COOKIE_DATA_BITS)

static u64 flow(void)
{
	return ttp_cookie_hash(LADDR, RADDR, LPORT, RPORT, ISN);
}

static void cookie_opens_with_its_data(struct kunit *test)
{
	u64 h = flow();
	u32 data, got;

	for (data = 0; data < BIT(TTP_COOKIE_DATA_BITS); data++) {
		u32 c = ttp_cookie_make(h, 1000, data);

		got = ~data;
		KUNIT_EXPECT_TRUE(test, ttp_cookie_open(h, 1000, c, &got));
		KUNIT_EXPECT_EQ(test, got, data);
	}
}

static void cookie_lives_two_periods(struct kunit *test)
{
	u64 h = flow();
	u32 c = ttp_cookie_make(h, 1000, 0x155);
	u32 got;

	KUNIT_EXPECT_TRUE(test, ttp_cookie_open(h, 1000, c, &got));
	KUNIT_EXPECT_TRUE(test, ttp_cookie_open(h, 1001, c, &got));
	KUNIT_EXPECT_EQ(test, got, 0x155U);
	KUNIT_EXPECT_FALSE(test, ttp_cookie_open(h, 1002, c, &got));
	KUNIT_EXPECT_FALSE(test, ttp_cookie_open(h, 2000, c, &got));
	/* Nor before it was made. */
	KUNIT_EXPECT_FALSE(test, ttp_cookie_open(h, 999, c, &got));
	/* The period counter wraps. */
	c = ttp_cookie_make(h, U32_MAX, 0x155);
	KUNIT_EXPECT_TRUE(test, ttp_cookie_open(h, 0, c, &got));
	KUNIT_EXPECT_FALSE(test, ttp_cookie_open(h, 1, c, &got));
}

static void cookie_is_bound_to_its_connection(struct kunit *test)
{
	u32 c = ttp_cookie_make(flow(), 1000, 0x0a5);
	u64 other[] = {
		ttp_cookie_hash(RADDR, RADDR, LPORT, RPORT, ISN),
		ttp_cookie_hash(LADDR, LADDR, LPORT, RPORT, ISN),
		ttp_cookie_hash(LADDR, RADDR, RPORT, RPORT, ISN),
		ttp_cookie_hash(LADDR, RADDR, LPORT, LPORT, ISN),
		ttp_cookie_hash(LADDR, RADDR, LPORT, RPORT, ISN + 1),
		/* The ports swapped: the direction counts. */
		ttp_cookie_hash(LADDR, RADDR, RPORT, LPORT, ISN),
	};
	unsigned int i;
	u32 got;

	for (i = 0; i < ARRAY_SIZE(other); i++)
		KUNIT_EXPECT_FALSE_MSG(test,
				       ttp_cookie_open(other[i], 1000, c, &got),
				       "flow %u", i);
}

static void cookie_with_a_bit_changed_is_refused(struct kunit *test)
{
	u64 h = flow();
	u32 c = ttp_cookie_make(h, 1000, 0x1ff);
	unsigned int bit;
	u32 got;

	for (bit = 0; bit < 32; bit++)
		KUNIT_EXPECT_FALSE_MSG(test,
				       ttp_cookie_open(h, 1000, c ^ BIT(bit), &got),
				       "bit %u", bit);
	KUNIT_EXPECT_FALSE(test, ttp_cookie_open(h, 1000, c + 1, &got));
	KUNIT_EXPECT_FALSE(test, ttp_cookie_open(h, 1000, c - 1, &got));
}

static void cookie_data_is_hidden(struct kunit *test)
{
	u64 h = flow();
	u64 h2 = ttp_cookie_hash(LADDR, RADDR, LPORT, RPORT, ISN + 1);

	/*
	 * W, the low half of H, is added to the cookie: the same data gives
	 * other high bits on another connection (a fixed layout would give
	 * the same ones).  Equal by chance once in 2^9 for one value; eight
	 * values are all equal once in 2^72.
	 */
	u32 data, same = 0;

	for (data = 0; data < 8; data++)
		same += (ttp_cookie_make(h, 1000, data) >> DATA_SHIFT) ==
			(ttp_cookie_make(h2, 1000, data) >> DATA_SHIFT);
	KUNIT_EXPECT_LT(test, same, 8U);
}

static struct kunit_case ttp_syncookie_cases[] = {
	KUNIT_CASE(cookie_opens_with_its_data),
	KUNIT_CASE(cookie_lives_two_periods),
	KUNIT_CASE(cookie_is_bound_to_its_connection),
	KUNIT_CASE(cookie_with_a_bit_changed_is_refused),
	KUNIT_CASE(cookie_data_is_hidden),
	{}
};

static struct kunit_suite ttp_syncookie_suite = {
	.name = "ttp_syncookie",
	.test_cases = ttp_syncookie_cases,
};

kunit_test_suite(ttp_syncookie_suite);
