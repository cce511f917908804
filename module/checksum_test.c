// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the segment checksums (checksum.c), against reference
 * implementations written from the definitions (RFC 1071 one word at a
 * time, CRC32C one bit at a time) rather than with the kernel's helpers that
 * checksum.c uses: those of ref_csum.h, which the selftests use too.  Part
 * of ttp_kunit.ko (kunit.c).
 */
#include <kunit/skbuff.h>
#include <kunit/test.h>
#include <linux/mm.h>
#include <linux/skbuff.h>

#include "ref_csum.h"
#include "ttp.h"

#define SADDR	cpu_to_be32(0x0a000001)	/* 10.0.0.1 */
#define DADDR	cpu_to_be32(0x0a000002)	/* 10.0.0.2 */
#define CHECK	offsetof(struct ttphdr, check)
#define FLAGS	offsetof(struct ttphdr, flags)

/* ref_csum.h has the field where Documentation/protocol.rst puts it. */
static_assert(CHECK == TTP_REF_CHECK_OFF);
static_assert(sizeof_field(struct ttphdr, check) == TTP_REF_CHECK_LEN);

/* The pseudo-header of a segment of @len bytes from SADDR to DADDR. */
static void ref_pseudo(u8 ph[TTP_REF_PSEUDO_LEN], unsigned int len)
{
	__be32 saddr = SADDR, daddr = DADDR;

	ttp_ref_pseudo(ph, &saddr, &daddr, ttp_ipproto, len);
}

/* Internet sum of pseudo-header and segment as they are (check included). */
static u32 ref_inet_total(const u8 *seg, unsigned int len)
{
	u8 ph[TTP_REF_PSEUDO_LEN];

	ref_pseudo(ph, len);
	return ttp_ref_inet_add(ttp_ref_inet_add(0, ph, sizeof(ph)), seg, len);
}

/* CRC32C of pseudo-header and segment, the checksum field taken as 0. */
static u32 ref_crc32c_seg(const u8 *seg, unsigned int len)
{
	u8 ph[TTP_REF_PSEUDO_LEN];

	ref_pseudo(ph, len);
	return ttp_ref_seg_csum(ph, seg, len, 1);
}

/* A linear segment of @len bytes: a header, then a pattern of @seed. */
static struct sk_buff *seg_alloc(struct kunit *test, unsigned int len, u8 seed)
{
	struct sk_buff *skb = kunit_zalloc_skb(test, len, GFP_KERNEL);
	struct ttphdr *th;
	unsigned int i;
	u8 *p;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	p = skb_put(skb, len);
	for (i = 0; i < len; i++)
		p[i] = seed + i * 7;
	th = (struct ttphdr *)p;
	th->ver_doff = TTP_VERSION << 4 | TTP_HDR_LEN / 4;
	th->flags = TTPF_ACK;
	return skb;
}

static void fill(struct sk_buff *skb, u8 algo)
{
	ttp_csum_fill(skb, (struct ttphdr *)skb->data, skb->len, SADDR, DADDR,
		      algo);
}

static bool ok(struct sk_buff *skb)
{
	return ttp_csum_ok(skb, SADDR, DADDR);
}

static const unsigned int lengths[] = { 20, 21, 22, 63, 100, 1001, 1500 };

static void reference_sums_give_the_known_answers(struct kunit *test)
{
	/* RFC 1071 section 3's example, and the CRC32C check value. */
	static const u8 words[] = { 0x00, 0x01, 0xf2, 0x03,
				    0xf4, 0xf5, 0xf6, 0xf7 };

	KUNIT_EXPECT_EQ(test, ttp_ref_inet_add(0, words, sizeof(words)),
			0xddf2U);
	KUNIT_EXPECT_EQ(test, ~ttp_ref_crc32c(~0U, (const u8 *)"123456789", 9),
			0xe3069283U);
}

static void inet_fill_makes_segment_and_pseudo_header_sum_to_ffff(struct kunit *test)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(lengths); i++) {
		struct sk_buff *skb = seg_alloc(test, lengths[i], i);

		fill(skb, TTP_CSUM_INET);
		KUNIT_EXPECT_EQ_MSG(test, ref_inet_total(skb->data, skb->len),
				    0xffffU, "length %u", lengths[i]);
		/* The second half of the field is CRC32C's: zero. */
		KUNIT_EXPECT_EQ(test, skb->data[CHECK + 2], 0);
		KUNIT_EXPECT_EQ(test, skb->data[CHECK + 3], 0);
		KUNIT_EXPECT_FALSE(test, skb->data[FLAGS] & TTPF_CRC);
	}
}

static void crc32c_fill_stores_the_crc_big_endian_and_flags_it(struct kunit *test)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(lengths); i++) {
		struct sk_buff *skb = seg_alloc(test, lengths[i], i);
		struct ttphdr *th = (struct ttphdr *)skb->data;

		fill(skb, TTP_CSUM_CRC32C);
		KUNIT_EXPECT_TRUE(test, th->flags & TTPF_CRC);
		/* The flag is covered: the reference sees it set too. */
		KUNIT_EXPECT_EQ_MSG(test, be32_to_cpu(th->check),
				    ref_crc32c_seg(skb->data, skb->len),
				    "length %u", lengths[i]);
	}
}

static void csum_ok_accepts_what_fill_made(struct kunit *test)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(lengths); i++) {
		struct sk_buff *a = seg_alloc(test, lengths[i], i);
		struct sk_buff *b = seg_alloc(test, lengths[i], i);

		fill(a, TTP_CSUM_INET);
		fill(b, TTP_CSUM_CRC32C);
		KUNIT_EXPECT_TRUE_MSG(test, ok(a), "inet, length %u", lengths[i]);
		KUNIT_EXPECT_TRUE_MSG(test, ok(b), "crc32c, length %u", lengths[i]);
	}
}

static void csum_ok_detects_every_single_bit_flip(struct kunit *test)
{
	static const u8 algos[] = { TTP_CSUM_INET, TTP_CSUM_CRC32C };
	unsigned int a, bit, bad;

	for (a = 0; a < ARRAY_SIZE(algos); a++) {
		struct sk_buff *skb = seg_alloc(test, 64, 3);

		fill(skb, algos[a]);
		bad = 0;
		for (bit = 0; bit < skb->len * 8; bit++) {
			skb->data[bit / 8] ^= 1 << (bit % 8);
			if (ok(skb)) {
				KUNIT_FAIL(test, "algorithm %u: flip of bit %u not seen",
					   algos[a], bit);
				bad++;
			}
			skb->data[bit / 8] ^= 1 << (bit % 8);
			if (bad > 3)
				break;
		}
		KUNIT_EXPECT_TRUE(test, ok(skb));
	}
}

static void csum_ok_rejects_a_segment_for_other_addresses(struct kunit *test)
{
	struct sk_buff *inet = seg_alloc(test, 100, 1);
	struct sk_buff *crc = seg_alloc(test, 100, 1);
	__be32 other = cpu_to_be32(0x0a000003);

	fill(inet, TTP_CSUM_INET);
	fill(crc, TTP_CSUM_CRC32C);
	KUNIT_EXPECT_FALSE(test, ttp_csum_ok(inet, other, DADDR));
	KUNIT_EXPECT_FALSE(test, ttp_csum_ok(inet, SADDR, other));
	KUNIT_EXPECT_FALSE(test, ttp_csum_ok(crc, other, DADDR));
	KUNIT_EXPECT_FALSE(test, ttp_csum_ok(crc, SADDR, other));
	/* Order matters to a CRC (a sum of words cannot see a swap). */
	KUNIT_EXPECT_FALSE(test, ttp_csum_ok(crc, DADDR, SADDR));
}

static void csum_ok_rejects_a_truncated_or_extended_segment(struct kunit *test)
{
	static const u8 algos[] = { TTP_CSUM_INET, TTP_CSUM_CRC32C };
	unsigned int a;

	for (a = 0; a < ARRAY_SIZE(algos); a++) {
		struct sk_buff *skb = seg_alloc(test, 101, 5);

		fill(skb, algos[a]);
		skb_trim(skb, 100);
		KUNIT_EXPECT_FALSE_MSG(test, ok(skb), "algorithm %u, cut",
				       algos[a]);
		skb_put_u8(skb, skb->data[100]);	/* the byte back */
		KUNIT_EXPECT_TRUE(test, ok(skb));
		skb_put_u8(skb, 0);			/* one zero more */
		KUNIT_EXPECT_FALSE_MSG(test, ok(skb), "algorithm %u, longer",
				       algos[a]);
	}
}

static void inet_rejects_a_nonzero_second_half(struct kunit *test)
{
	struct sk_buff *skb = seg_alloc(test, 40, 9);

	fill(skb, TTP_CSUM_INET);
	KUNIT_ASSERT_TRUE(test, ok(skb));
	/* Moving the sum's bytes keeps the total: only the rule rejects it. */
	skb->data[CHECK + 2] = skb->data[CHECK];
	skb->data[CHECK + 3] = skb->data[CHECK + 1];
	skb->data[CHECK] = 0;
	skb->data[CHECK + 1] = 0;
	KUNIT_EXPECT_EQ(test, ref_inet_total(skb->data, skb->len), 0xffffU);
	KUNIT_EXPECT_FALSE(test, ok(skb));
}

/*
 * The segment in @flat as received data often is: its header in the linear
 * part, its payload in a page fragment, with byte @flip of the payload
 * XORed with 0x40 (or none when @flip is past it).
 */
static struct sk_buff *seg_paged(struct kunit *test, struct sk_buff *flat,
				 unsigned int flip)
{
	unsigned int plen = flat->len - TTP_HDR_LEN;
	struct sk_buff *skb;
	struct page *page;
	u8 *data;

	skb = kunit_zalloc_skb(test, TTP_HDR_LEN, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_put_data(skb, flat->data, TTP_HDR_LEN);
	page = alloc_page(GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	data = page_address(page);
	memcpy(data, flat->data + TTP_HDR_LEN, plen);
	if (flip < plen)
		data[flip] ^= 0x40;
	/* The skb owns the page from here: freeing it puts the page. */
	skb_add_rx_frag(skb, 0, page, 0, plen, PAGE_SIZE);
	KUNIT_ASSERT_TRUE(test, skb_is_nonlinear(skb));
	return skb;
}

/* Received data may sit in page fragments: both checks must read them. */
static void csum_ok_reads_data_in_page_fragments(struct kunit *test)
{
	static const u8 algos[] = { TTP_CSUM_INET, TTP_CSUM_CRC32C };
	const unsigned int plen = 1000;
	unsigned int a;

	for (a = 0; a < ARRAY_SIZE(algos); a++) {
		struct sk_buff *flat = seg_alloc(test, TTP_HDR_LEN + plen, a);

		fill(flat, algos[a]);
		KUNIT_EXPECT_TRUE_MSG(test, ok(seg_paged(test, flat, plen)),
				      "algorithm %u", algos[a]);
		/* A flipped byte in the fragment is seen too. */
		KUNIT_EXPECT_FALSE_MSG(test, ok(seg_paged(test, flat, plen - 1)),
				       "algorithm %u", algos[a]);
	}
}

static struct kunit_case ttp_checksum_cases[] = {
	KUNIT_CASE(reference_sums_give_the_known_answers),
	KUNIT_CASE(inet_fill_makes_segment_and_pseudo_header_sum_to_ffff),
	KUNIT_CASE(crc32c_fill_stores_the_crc_big_endian_and_flags_it),
	KUNIT_CASE(csum_ok_accepts_what_fill_made),
	KUNIT_CASE(csum_ok_detects_every_single_bit_flip),
	KUNIT_CASE(csum_ok_rejects_a_segment_for_other_addresses),
	KUNIT_CASE(csum_ok_rejects_a_truncated_or_extended_segment),
	KUNIT_CASE(inet_rejects_a_nonzero_second_half),
	KUNIT_CASE(csum_ok_reads_data_in_page_fragments),
	{}
};

static struct kunit_suite ttp_checksum_suite = {
	.name = "ttp_checksum",
	.test_cases = ttp_checksum_cases,
};

kunit_test_suite(ttp_checksum_suite);
