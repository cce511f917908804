// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the wire format helpers (wire.h, wire.c): sequence
 * arithmetic modulo 2^32 and the header options, read and written.  Part
 * of ttp_kunit.ko (kunit.c).
 */
#include <kunit/test.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <uapi/linux/ttp.h>

#include "wire.h"

static void seq_before_orders_nearby_numbers(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, ttp_seq_before(1, 2));
	KUNIT_EXPECT_FALSE(test, ttp_seq_before(2, 1));
	KUNIT_EXPECT_FALSE(test, ttp_seq_before(7, 7));
	KUNIT_EXPECT_TRUE(test, ttp_seq_after(2, 1));
	KUNIT_EXPECT_FALSE(test, ttp_seq_after(1, 2));
	KUNIT_EXPECT_FALSE(test, ttp_seq_after(7, 7));
}

static void seq_before_holds_across_the_wrap(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, ttp_seq_before(0xffffffff, 0));
	KUNIT_EXPECT_TRUE(test, ttp_seq_before(0xfffffff0, 0x10));
	KUNIT_EXPECT_FALSE(test, ttp_seq_before(0x10, 0xfffffff0));
	KUNIT_EXPECT_TRUE(test, ttp_seq_after(0x10, 0xfffffff0));
	KUNIT_EXPECT_TRUE(test, ttp_seq_after(0, 0xffffffff));
}

static void seq_before_reaches_half_the_space(struct kunit *test)
{
	/* Up to 2^31 - 1 ahead is after; 2^31 + 1 ahead is behind. */
	KUNIT_EXPECT_TRUE(test, ttp_seq_before(0, 0x7fffffff));
	KUNIT_EXPECT_TRUE(test, ttp_seq_after(0x7fffffff, 0));
	KUNIT_EXPECT_FALSE(test, ttp_seq_before(0, 0x80000001));
	KUNIT_EXPECT_TRUE(test, ttp_seq_after(0, 0x80000001));
	KUNIT_EXPECT_TRUE(test, ttp_seq_before(0x90000000, 0x10000000 - 1));
}

static void seq_between_includes_both_ends(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, ttp_seq_between(10, 10, 20));
	KUNIT_EXPECT_TRUE(test, ttp_seq_between(10, 15, 20));
	KUNIT_EXPECT_TRUE(test, ttp_seq_between(10, 20, 20));
	KUNIT_EXPECT_TRUE(test, ttp_seq_between(5, 5, 5));
	KUNIT_EXPECT_FALSE(test, ttp_seq_between(10, 9, 20));
	KUNIT_EXPECT_FALSE(test, ttp_seq_between(10, 21, 20));
	KUNIT_EXPECT_FALSE(test, ttp_seq_between(5, 6, 5));
}

static void seq_between_holds_across_the_wrap(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, ttp_seq_between(0xfffffff0, 0xfffffff0, 0x10));
	KUNIT_EXPECT_TRUE(test, ttp_seq_between(0xfffffff0, 0xffffffff, 0x10));
	KUNIT_EXPECT_TRUE(test, ttp_seq_between(0xfffffff0, 0, 0x10));
	KUNIT_EXPECT_TRUE(test, ttp_seq_between(0xfffffff0, 0x10, 0x10));
	KUNIT_EXPECT_FALSE(test, ttp_seq_between(0xfffffff0, 0x11, 0x10));
	KUNIT_EXPECT_FALSE(test, ttp_seq_between(0xfffffff0, 0xffffffef, 0x10));
}

static void options_len_pads_to_words(struct kunit *test)
{
	struct ttp_opts o = {};

	KUNIT_EXPECT_EQ(test, ttp_options_len(&o), 0U);
	o.has_mss = 1;
	KUNIT_EXPECT_EQ(test, ttp_options_len(&o), 4U);
	o.has_wscale = 1;
	KUNIT_EXPECT_EQ(test, ttp_options_len(&o), 8U);	/* 4 + 3 */
	o.has_csum = 1;
	KUNIT_EXPECT_EQ(test, ttp_options_len(&o), 12U);	/* 4 + 3 + 3 */
	o.sack_ok = 1;
	KUNIT_EXPECT_EQ(test, ttp_options_len(&o), 12U);	/* + 2 */
	memset(&o, 0, sizeof(o));
	o.has_wscale = 1;
	KUNIT_EXPECT_EQ(test, ttp_options_len(&o), 4U);
	o.sack_ok = 1;
	KUNIT_EXPECT_EQ(test, ttp_options_len(&o), 8U);	/* 3 + 2 */
}

static void write_then_parse_gives_the_options_back(struct kunit *test)
{
	struct ttp_opts in = {
		.mss = 1460, .wscale = 7, .csum_mask = TTP_CSUM_MASK_ALL,
		.has_mss = 1, .has_wscale = 1, .has_csum = 1, .sack_ok = 1,
	};
	struct ttp_opts out;
	unsigned int len = ttp_options_len(&in);
	u8 *buf = kunit_kmalloc(test, len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	ttp_write_options(buf, &in, len);
	KUNIT_ASSERT_EQ(test, ttp_parse_options(buf, len, &out), 0);
	KUNIT_EXPECT_TRUE(test, out.has_mss);
	KUNIT_EXPECT_EQ(test, out.mss, 1460);
	KUNIT_EXPECT_TRUE(test, out.has_wscale);
	KUNIT_EXPECT_EQ(test, out.wscale, 7);
	KUNIT_EXPECT_TRUE(test, out.has_csum);
	KUNIT_EXPECT_EQ(test, out.csum_mask, TTP_CSUM_MASK_ALL);
	KUNIT_EXPECT_TRUE(test, out.sack_ok);
	KUNIT_EXPECT_EQ(test, out.num_sacks, 0);
}

static void write_options_lays_out_kind_length_value(struct kunit *test)
{
	static const u8 want[] = {
		TTPOPT_MSS, 4, 0x05, 0xb4,	/* 1460 */
		TTPOPT_WSCALE, 3, 14,
		TTPOPT_NOP,
	};
	struct ttp_opts o = {
		.mss = 1460, .wscale = 14, .has_mss = 1, .has_wscale = 1,
	};
	u8 buf[TTP_MAX_OPT_LEN];

	memset(buf, 0xee, sizeof(buf));
	KUNIT_ASSERT_EQ(test, ttp_options_len(&o), sizeof(want));
	ttp_write_options(buf, &o, sizeof(want));
	KUNIT_EXPECT_MEMEQ(test, buf, want, sizeof(want));
	/* Not a byte past the length it was given. */
	KUNIT_EXPECT_EQ(test, buf[sizeof(want)], 0xee);
}

static void parse_of_nothing_reports_no_option(struct kunit *test)
{
	struct ttp_opts out;
	u8 end = TTPOPT_END;

	memset(&out, 0xff, sizeof(out));
	KUNIT_EXPECT_EQ(test, ttp_parse_options(&end, 0, &out), 0);
	KUNIT_EXPECT_FALSE(test, out.has_mss || out.has_wscale ||
			   out.has_csum || out.sack_ok || out.num_sacks);
	KUNIT_EXPECT_EQ(test, ttp_parse_options(&end, 1, &out), 0);
	KUNIT_EXPECT_FALSE(test, out.has_mss);
}

static void parse_skips_nops_and_stops_at_end(struct kunit *test)
{
	/* After END comes padding: a malformed option there is not read. */
	static const u8 opt[] = {
		TTPOPT_NOP, TTPOPT_NOP, TTPOPT_NOP, TTPOPT_MSS, 4, 0x02, 0x00,
		TTPOPT_END, TTPOPT_WSCALE, 9, 9, 9,
	};
	struct ttp_opts out;

	KUNIT_ASSERT_EQ(test, ttp_parse_options(opt, sizeof(opt), &out), 0);
	KUNIT_EXPECT_TRUE(test, out.has_mss);
	KUNIT_EXPECT_EQ(test, out.mss, 512);
	KUNIT_EXPECT_FALSE(test, out.has_wscale);
}

static void parse_skips_unknown_kinds_by_their_length(struct kunit *test)
{
	static const u8 opt[] = {
		99, 6, 0xde, 0xad, 0xbe, 0xef,	/* a kind TTP does not know */
		200, 2,				/* and another, empty */
		TTPOPT_WSCALE, 3, 2,
		TTPOPT_NOP,
	};
	struct ttp_opts out;

	KUNIT_ASSERT_EQ(test, ttp_parse_options(opt, sizeof(opt), &out), 0);
	KUNIT_EXPECT_TRUE(test, out.has_wscale);
	KUNIT_EXPECT_EQ(test, out.wscale, 2);
	KUNIT_EXPECT_FALSE(test, out.has_mss);
}

static void parse_clamps_window_scale_to_14(struct kunit *test)
{
	static const u8 opt[] = { TTPOPT_WSCALE, 3, 200, TTPOPT_NOP };
	struct ttp_opts out;

	KUNIT_ASSERT_EQ(test, ttp_parse_options(opt, sizeof(opt), &out), 0);
	KUNIT_EXPECT_EQ(test, out.wscale, TTP_MAX_WSCALE);
}

/* Options that must make the whole segment malformed. */
static const struct {
	const char *why;
	u8 len;
	u8 opt[20];
} bad_options[] = {
	{ "kind without a length byte", 1, { TTPOPT_MSS } },
	{ "NOP then a kind without length", 2, { TTPOPT_NOP, 99 } },
	{ "length 0 (would never advance)", 4, { 99, 0, 0, 0 } },
	{ "length 1 (inside its own header)", 4, { 99, 1, 0, 0 } },
	{ "length past the options", 4, { 99, 5, 0, 0 } },
	{ "MSS of length 3", 4, { TTPOPT_MSS, 3, 1, 0 } },
	{ "MSS of length 5", 8, { TTPOPT_MSS, 5, 1, 0, 0 } },
	{ "MSS cut by the end of the options", 3, { TTPOPT_MSS, 4, 1 } },
	{ "WSCALE of length 4", 4, { TTPOPT_WSCALE, 4, 1, 0 } },
	{ "CSUM of length 2", 4, { TTPOPT_CSUM, 2, TTPOPT_NOP, TTPOPT_NOP } },
	{ "SACK_OK of length 3", 4, { TTPOPT_SACK_OK, 3, 0, 0 } },
	{ "SACK without a block", 4, { TTPOPT_SACK, 2, 0, 0 } },
	{ "SACK of a block and a half", 12, { TTPOPT_SACK, 12 } },
	{ "AUTH of length 2", 4, { TTPOPT_AUTH, 2, TTPOPT_NOP, TTPOPT_NOP } },
	{ "AUTH with a MAC of 3 bytes", 7, { TTPOPT_AUTH, 7, 1, 2 } },
	{ "AUTH with a MAC of 13 bytes", 17, { TTPOPT_AUTH, 17, 1, 2 } },
	{ "two AUTH options", 16, { TTPOPT_AUTH, 8, 1, 2, 0, 0, 0, 0,
				    TTPOPT_AUTH, 8, 1, 2 } },
};

static void parse_finds_the_auth_option(struct kunit *test)
{
	static const u8 opt[] = {
		TTPOPT_NOP, TTPOPT_NOP, TTPOPT_TIMESTAMP, 10, 0, 0, 0, 1,
		0, 0, 0, 2,
		TTPOPT_AUTH, 16, 3, 4, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
	};
	struct ttp_opts out;

	KUNIT_ASSERT_EQ(test, ttp_parse_options(opt, sizeof(opt), &out), 0);
	KUNIT_EXPECT_TRUE(test, out.has_auth);
	KUNIT_EXPECT_EQ(test, out.auth_off, 12);
	KUNIT_EXPECT_EQ(test, out.auth_len, 16);
	KUNIT_EXPECT_TRUE(test, out.has_ts);
}

static void parse_rejects_malformed_options(struct kunit *test)
{
	struct ttp_opts out;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad_options); i++) {
		unsigned int len = bad_options[i].len;
		u8 *buf = kunit_kmalloc(test, len, GFP_KERNEL);

		KUNIT_ASSERT_NOT_NULL(test, buf);
		memcpy(buf, bad_options[i].opt, len);
		KUNIT_EXPECT_EQ_MSG(test, ttp_parse_options(buf, len, &out),
				    -EINVAL, "%s", bad_options[i].why);
	}
}

static void parse_rejects_a_second_sack_option(struct kunit *test)
{
	u8 opt[2 * TTP_SACK_SPACE(1)];
	struct ttp_sack_block b = { 1, 2 };
	struct ttp_opts out;

	ttp_write_sack(opt, &b, 1);
	KUNIT_ASSERT_EQ(test, ttp_parse_options(opt, TTP_SACK_SPACE(1), &out),
			0);
	ttp_write_sack(opt + TTP_SACK_SPACE(1), &b, 1);
	KUNIT_EXPECT_EQ(test, ttp_parse_options(opt, sizeof(opt), &out),
			-EINVAL);
}

static void sack_blocks_written_are_read_back(struct kunit *test)
{
	struct ttp_sack_block in[TTP_MAX_SACKS] = {
		{ 1000, 2000 }, { 0xfffffff0, 0x10 }, { 5, 6 }, { 0, 0xffffffff },
	};
	u8 opt[TTP_SACK_SPACE(TTP_MAX_SACKS)];
	struct ttp_sack_block b;
	struct ttp_opts out;
	unsigned int n, i;

	for (n = 1; n <= TTP_MAX_SACKS; n++) {
		KUNIT_ASSERT_LE(test, TTP_SACK_SPACE(n), TTP_MAX_OPT_LEN);
		ttp_write_sack(opt, in, n);
		KUNIT_ASSERT_EQ(test, ttp_parse_options(opt, TTP_SACK_SPACE(n),
							&out), 0);
		KUNIT_ASSERT_EQ(test, out.num_sacks, n);
		for (i = 0; i < n; i++) {
			ttp_read_sack(opt, &out, i, &b);
			KUNIT_EXPECT_EQ(test, b.start, in[i].start);
			KUNIT_EXPECT_EQ(test, b.end, in[i].end);
		}
	}
}

static void sack_of_five_blocks_is_rejected(struct kunit *test)
{
	u8 opt[2 + 5 * TTPOLEN_SACK_BLOCK] = {
		TTPOPT_SACK, 2 + 5 * TTPOLEN_SACK_BLOCK,
	};
	struct ttp_opts out;

	KUNIT_EXPECT_EQ(test, ttp_parse_options(opt, sizeof(opt), &out),
			-EINVAL);
}

/*
 * Every kind and every length byte, at every place an option can start in
 * a buffer of exactly the options' size: the parser accepts or refuses, and
 * never reads past the buffer (KASAN would report it and fail the test).
 */
static void parse_stays_inside_the_options_whatever_they_hold(struct kunit *test)
{
	static const unsigned int sizes[] = { 1, 2, 3, 4, 17, TTP_MAX_OPT_LEN };
	unsigned int i, p, size, kind, olen, at, end;
	struct ttp_opts out;
	int ret;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		u8 *buf;

		size = sizes[i];
		buf = kunit_kmalloc(test, size, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, buf);
		/* At the start, after a NOP, and at the last two bytes. */
		for (p = 0; p < 4; p++) {
			at = p < 2 ? p : size - 4 + p;
			if (at >= size)
				continue;
			for (kind = 0; kind < 256; kind++) {
				for (olen = 0; olen < 256; olen++) {
					memset(buf, TTPOPT_NOP, size);
					buf[at] = kind;
					if (at + 1 < size)
						buf[at + 1] = olen;
					ret = ttp_parse_options(buf, size, &out);
					if (ret && ret != -EINVAL)
						KUNIT_FAIL(test, "returned %d", ret);
					if (ret || !out.num_sacks)
						continue;
					end = out.sack_off +
					      out.num_sacks * TTPOLEN_SACK_BLOCK;
					KUNIT_EXPECT_LE(test, end, size);
				}
			}
		}
	}
}

static void timestamp_option_written_is_read_back(struct kunit *test)
{
	static const u8 want[] = {
		TTPOPT_NOP, TTPOPT_NOP, TTPOPT_TIMESTAMP, 10,
		0x01, 0x02, 0x03, 0x04, 0xfe, 0xdc, 0xba, 0x98,
	};
	u8 buf[TTP_TS_SPACE + 1];
	struct ttp_opts out;

	memset(buf, 0xee, sizeof(buf));
	ttp_write_ts(buf, 0x01020304, 0xfedcba98);
	KUNIT_EXPECT_MEMEQ(test, buf, want, sizeof(want));
	KUNIT_EXPECT_EQ(test, buf[TTP_TS_SPACE], 0xee);
	KUNIT_ASSERT_EQ(test, ttp_parse_options(buf, TTP_TS_SPACE, &out), 0);
	KUNIT_EXPECT_TRUE(test, out.has_ts);
	KUNIT_EXPECT_EQ(test, out.tsval, 0x01020304U);
	KUNIT_EXPECT_EQ(test, out.tsecr, 0xfedcba98U);
}

static void syn_options_with_timestamps_fit_and_read_back(struct kunit *test)
{
	struct ttp_opts in = {
		.mss = 1460, .wscale = 7, .csum_mask = TTP_CSUM_MASK_ALL,
		.tsval = 0x80000001, .tsecr = 0,
		.has_mss = 1, .has_wscale = 1, .has_csum = 1, .sack_ok = 1,
		.has_ts = 1,
	};
	u8 buf[TTP_MAX_OPT_LEN];
	unsigned int len = ttp_options_len(&in);
	struct ttp_opts out;

	/* 4 + 3 + 3 + 2 + 10, padded: room left for authentication. */
	KUNIT_EXPECT_EQ(test, len, 24U);
	ttp_write_options(buf, &in, len);
	KUNIT_ASSERT_EQ(test, ttp_parse_options(buf, len, &out), 0);
	KUNIT_EXPECT_TRUE(test, out.has_ts && out.has_mss && out.sack_ok);
	KUNIT_EXPECT_EQ(test, out.tsval, 0x80000001U);
	KUNIT_EXPECT_EQ(test, out.tsecr, 0U);
	KUNIT_EXPECT_EQ(test, out.mss, 1460);
}

static void timestamps_and_sack_blocks_share_the_options(struct kunit *test)
{
	struct ttp_sack_block b[TTP_MAX_SACKS_TS] = {
		{ 100, 200 }, { 300, 400 }, { 500, 600 },
	}, r;
	u8 buf[TTP_MAX_OPT_LEN];
	struct ttp_opts out;
	unsigned int len = TTP_TS_SPACE + TTP_SACK_SPACE(TTP_MAX_SACKS_TS);

	KUNIT_ASSERT_LE(test, len, (unsigned int)TTP_MAX_OPT_LEN);
	ttp_write_ts(buf, 7, 9);
	ttp_write_sack(buf + TTP_TS_SPACE, b, TTP_MAX_SACKS_TS);
	KUNIT_ASSERT_EQ(test, ttp_parse_options(buf, len, &out), 0);
	KUNIT_EXPECT_TRUE(test, out.has_ts);
	KUNIT_EXPECT_EQ(test, out.tsval, 7U);
	KUNIT_EXPECT_EQ(test, out.tsecr, 9U);
	KUNIT_ASSERT_EQ(test, out.num_sacks, TTP_MAX_SACKS_TS);
	ttp_read_sack(buf, &out, 2, &r);
	KUNIT_EXPECT_EQ(test, r.start, 500U);
	KUNIT_EXPECT_EQ(test, r.end, 600U);
}

static void malformed_timestamp_options_are_rejected(struct kunit *test)
{
	static const u8 short_len[] = { TTPOPT_TIMESTAMP, 9, 0, 0, 0, 0, 0, 0, 0 };
	static const u8 long_len[] = {
		TTPOPT_TIMESTAMP, 11, 0, 0, 0, 0, 0, 0, 0, 0, 0, TTPOPT_END,
	};
	static const u8 cut[] = { TTPOPT_TIMESTAMP, 10, 0, 0, 0, 0, 0, 0 };
	u8 twice[2 * TTP_TS_SPACE];
	struct ttp_opts out;

	KUNIT_EXPECT_EQ(test, ttp_parse_options(short_len, sizeof(short_len),
						&out), -EINVAL);
	KUNIT_EXPECT_EQ(test, ttp_parse_options(long_len, sizeof(long_len),
						&out), -EINVAL);
	KUNIT_EXPECT_EQ(test, ttp_parse_options(cut, sizeof(cut), &out),
			-EINVAL);
	/* Two clocks in one segment: which one to believe? */
	ttp_write_ts(twice, 1, 2);
	ttp_write_ts(twice + TTP_TS_SPACE, 3, 4);
	KUNIT_EXPECT_EQ(test, ttp_parse_options(twice, sizeof(twice), &out),
			-EINVAL);
}

static struct kunit_case ttp_wire_cases[] = {
	KUNIT_CASE(seq_before_orders_nearby_numbers),
	KUNIT_CASE(seq_before_holds_across_the_wrap),
	KUNIT_CASE(seq_before_reaches_half_the_space),
	KUNIT_CASE(seq_between_includes_both_ends),
	KUNIT_CASE(seq_between_holds_across_the_wrap),
	KUNIT_CASE(options_len_pads_to_words),
	KUNIT_CASE(write_then_parse_gives_the_options_back),
	KUNIT_CASE(write_options_lays_out_kind_length_value),
	KUNIT_CASE(parse_of_nothing_reports_no_option),
	KUNIT_CASE(parse_skips_nops_and_stops_at_end),
	KUNIT_CASE(parse_skips_unknown_kinds_by_their_length),
	KUNIT_CASE(parse_clamps_window_scale_to_14),
	KUNIT_CASE(parse_rejects_malformed_options),
	KUNIT_CASE(parse_finds_the_auth_option),
	KUNIT_CASE(parse_rejects_a_second_sack_option),
	KUNIT_CASE(sack_blocks_written_are_read_back),
	KUNIT_CASE(sack_of_five_blocks_is_rejected),
	KUNIT_CASE(parse_stays_inside_the_options_whatever_they_hold),
	KUNIT_CASE(timestamp_option_written_is_read_back),
	KUNIT_CASE(syn_options_with_timestamps_fit_and_read_back),
	KUNIT_CASE(timestamps_and_sack_blocks_share_the_options),
	KUNIT_CASE(malformed_timestamp_options_are_rejected),
	{}
};

static struct kunit_suite ttp_wire_suite = {
	.name = "ttp_wire",
	.test_cases = ttp_wire_cases,
};

kunit_test_suite(ttp_wire_suite);
