// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of segment authentication's cryptography (auth.c): HMAC-SHA256
 * against RFC 4231's vectors, and the traffic key and segment MAC against
 * values computed apart, by Python's hmac module, from the definitions in
 * Documentation/protocol.rst:
 *
 *   traffic key = HMAC-SHA256(master, 0x01 || "TTP-AUTH" || saddr || daddr
 *                             || sport || dport || isn_s || isn_r || 0x0100)
 *   MAC = HMAC-SHA256(traffic key, SNE || pseudo-header || segment with
 *                     its checksum and MAC fields zero), first maclen bytes
 *
 * Part of ttp_kunit.ko (kunit.c).
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/skbuff.h>

#include "auth.h"
#include "wire.h"

static void expect_hex(struct kunit *test, const u8 *got, unsigned int len,
		       const char *hex)
{
	u8 want[SHA256_DIGEST_SIZE];

	KUNIT_ASSERT_EQ(test, strlen(hex), 2 * (size_t)len);
	KUNIT_ASSERT_EQ(test, hex2bin(want, hex, len), 0);
	KUNIT_EXPECT_MEMEQ(test, got, want, len);
}

static void hmac_of(const u8 *key, unsigned int klen, const void *msg,
		    unsigned int mlen, u8 out[SHA256_DIGEST_SIZE])
{
	struct ttp_hmac h;

	ttp_hmac_setkey(&h, key, klen);
	ttp_hmac(&h, msg, mlen, out);
}

/* RFC 4231, test cases 1, 2, 3 and 6 (a key longer than a block). */
static void hmac_sha256_matches_rfc4231(struct kunit *test)
{
	static const char jefe[] = "what do ya want for nothing?";
	static const char big[] =
		"Test Using Larger Than Block-Size Key - Hash Key First";
	u8 key[131], msg[50], mac[SHA256_DIGEST_SIZE];

	memset(key, 0x0b, 20);
	hmac_of(key, 20, "Hi There", 8, mac);
	expect_hex(test, mac, sizeof(mac),
		   "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");

	hmac_of((const u8 *)"Jefe", 4, jefe, strlen(jefe), mac);
	expect_hex(test, mac, sizeof(mac),
		   "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");

	memset(key, 0xaa, 20);
	memset(msg, 0xdd, sizeof(msg));
	hmac_of(key, 20, msg, sizeof(msg), mac);
	expect_hex(test, mac, sizeof(mac),
		   "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");

	memset(key, 0xaa, sizeof(key));
	hmac_of(key, sizeof(key), big, strlen(big), mac);
	expect_hex(test, mac, sizeof(mac),
		   "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

/* A key of exactly one block is used as it is, not hashed. */
static void hmac_key_of_one_block_is_not_hashed(struct kunit *test)
{
	u8 key[SHA256_BLOCK_SIZE], mac[SHA256_DIGEST_SIZE];

	memset(key, 0xaa, sizeof(key));
	hmac_of(key, sizeof(key), "abc", 3, mac);
	expect_hex(test, mac, sizeof(mac),
		   "2f8cff867f2668ca93d3c5b03ba9f816746742eda349b3bc4bb35aa27816754c");
}

/* A MAC in pieces is the MAC of the whole. */
static void hmac_in_pieces_is_hmac_of_the_whole(struct kunit *test)
{
	static const u8 key[] = "a key";
	u8 whole[SHA256_DIGEST_SIZE], pieces[SHA256_DIGEST_SIZE];
	struct sha256_state st;
	struct ttp_hmac h;
	u8 msg[200];
	unsigned int i;

	for (i = 0; i < sizeof(msg); i++)
		msg[i] = i * 13;
	ttp_hmac_setkey(&h, key, sizeof(key) - 1);
	ttp_hmac(&h, msg, sizeof(msg), whole);

	ttp_hmac_begin(&h, &st);
	sha256_update(&st, msg, 1);
	sha256_update(&st, msg + 1, 63);
	sha256_update(&st, msg + 64, 100);
	sha256_update(&st, msg + 164, 36);
	ttp_hmac_end(&h, &st, pieces);
	KUNIT_EXPECT_MEMEQ(test, whole, pieces, sizeof(whole));
}

static const u8 addr_a[4] = { 10, 0, 0, 1 };
static const u8 addr_b[4] = { 10, 0, 0, 2 };

static void master_key(struct ttp_hmac *master)
{
	u8 key[32];
	unsigned int i;

	for (i = 0; i < sizeof(key); i++)
		key[i] = i + 1;
	ttp_hmac_setkey(master, key, sizeof(key));
}

static void test_ctx(struct ttp_auth_ctx *ctx)
{
	*ctx = (struct ttp_auth_ctx) {
		.saddr = addr_a, .daddr = addr_b, .alen = sizeof(addr_a),
		.sport = htons(5000), .dport = htons(80),
		.isn_s = 0x01020304, .isn_r = 0xa0b0c0d0,
	};
}

#define TRAFFIC_HEX \
	"bce86301d82592050ab85d26a2688b0c7cedc22b44499591164826038b71105a"
#define SYN_TRAFFIC_HEX \
	"1d20c0d66a9b0cfd0c22160e0b2963b4c62774ee9fa5b00f1cd2432a4aa2932f"

static void traffic_key_matches_its_definition(struct kunit *test)
{
	u8 tk[TTP_AUTH_TRAFFIC_LEN], other[TTP_AUTH_TRAFFIC_LEN];
	struct ttp_hmac master;
	struct ttp_auth_ctx ctx;

	master_key(&master);
	test_ctx(&ctx);
	ttp_auth_traffic_key(&master, &ctx, tk);
	expect_hex(test, tk, sizeof(tk), TRAFFIC_HEX);

	/* The key of a SYN: the peer's ISN still unknown, taken as 0. */
	ctx.isn_r = 0;
	ttp_auth_traffic_key(&master, &ctx, tk);
	expect_hex(test, tk, sizeof(tk), SYN_TRAFFIC_HEX);

	/* The other direction has another key. */
	test_ctx(&ctx);
	ttp_auth_traffic_key(&master, &ctx, tk);
	swap(ctx.saddr, ctx.daddr);
	swap(ctx.sport, ctx.dport);
	swap(ctx.isn_s, ctx.isn_r);
	ttp_auth_traffic_key(&master, &ctx, other);
	KUNIT_EXPECT_MEMNEQ(test, tk, other, sizeof(tk));
}

/* The segment of the vectors: 20 bytes of header, 16 of AUTH, 100 of data. */
#define SEG_PAYLOAD	100
#define SEG_OPTS	16
#define SEG_HLEN	(TTP_HDR_LEN + SEG_OPTS)
#define SEG_LEN		(SEG_HLEN + SEG_PAYLOAD)
#define SEG_MACLEN	12
#define SEG_HEADROOM	8	/* the TTP header at skb->data + 8 */
#define SEG_MAC_OFF	(SEG_HEADROOM + TTP_HDR_LEN + 4)	/* in the skb */

static void fill_header(u8 *p)
{
	struct ttphdr *th = (struct ttphdr *)p;

	memset(p, 0, SEG_HLEN);
	th->source = htons(5000);
	th->dest = htons(80);
	th->seq = htonl(0x01020304);
	th->ack_seq = htonl(0xa0b0c0d0);
	th->ver_doff = TTP_VERSION << 4 | SEG_HLEN / 4;
	th->flags = TTPF_ACK | TTPF_PSH;
	th->window = htons(512);
	p[TTP_HDR_LEN] = TTPOPT_AUTH;
	p[TTP_HDR_LEN + 1] = SEG_OPTS;
	p[TTP_HDR_LEN + 2] = 1;		/* key id */
	p[TTP_HDR_LEN + 3] = 2;		/* next key id wanted */
}

static u8 payload_byte(unsigned int i)
{
	return i * 7 + 3;
}

/* The test segment, all in the linear part, @SEG_HEADROOM bytes in. */
static struct sk_buff *linear_segment(struct kunit *test)
{
	struct sk_buff *skb = alloc_skb(SEG_HEADROOM + SEG_LEN, GFP_KERNEL);
	unsigned int i;
	u8 *p;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	memset(skb_put(skb, SEG_HEADROOM), 0xee, SEG_HEADROOM);
	p = skb_put(skb, SEG_LEN);
	fill_header(p);
	for (i = 0; i < SEG_PAYLOAD; i++)
		p[SEG_HLEN + i] = payload_byte(i);
	return skb;
}

/* The same segment with its payload in two page fragments. */
static struct sk_buff *paged_segment(struct kunit *test)
{
	struct sk_buff *skb = alloc_skb(SEG_HEADROOM + SEG_HLEN, GFP_KERNEL);
	struct page *page = alloc_page(GFP_KERNEL);
	unsigned int i;
	u8 *p;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_ASSERT_NOT_NULL(test, page);
	memset(skb_put(skb, SEG_HEADROOM), 0xee, SEG_HEADROOM);
	fill_header(skb_put(skb, SEG_HLEN));
	p = page_address(page);
	for (i = 0; i < SEG_PAYLOAD; i++)
		p[300 + i] = payload_byte(i);
	/* Two fragments of one page: one reference each. */
	get_page(page);
	skb_fill_page_desc(skb, 0, page, 300, 37);
	skb_fill_page_desc(skb, 1, page, 337, SEG_PAYLOAD - 37);
	skb->len += SEG_PAYLOAD;
	skb->data_len += SEG_PAYLOAD;
	return skb;
}

static const u8 pseudo4[12] = {
	10, 0, 0, 1, 10, 0, 0, 2, 0, 253, 0, SEG_LEN,
};

#define SEG_MAC_HEX "781bd5e976e1dceeaf2f4bf5"

static int mac_of(struct sk_buff *skb, u32 sne, u8 *mac)
{
	u8 tk[TTP_AUTH_TRAFFIC_LEN];
	struct ttp_hmac master, traffic;
	struct ttp_auth_ctx ctx;

	master_key(&master);
	test_ctx(&ctx);
	ttp_auth_traffic_key(&master, &ctx, tk);
	ttp_hmac_setkey(&traffic, tk, sizeof(tk));
	return ttp_auth_mac(&traffic, sne, pseudo4, sizeof(pseudo4),
			    (struct ttphdr *)(skb->data + SEG_HEADROOM),
			    SEG_MAC_OFF - SEG_HEADROOM, SEG_MACLEN, skb,
			    SEG_HEADROOM + SEG_HLEN, SEG_PAYLOAD, mac);
}

static void segment_mac_matches_its_definition(struct kunit *test)
{
	struct sk_buff *skb = linear_segment(test);
	u8 mac[SEG_MACLEN];

	KUNIT_ASSERT_EQ(test, mac_of(skb, 1, mac), 0);
	expect_hex(test, mac, sizeof(mac), SEG_MAC_HEX);
	kfree_skb(skb);

	skb = paged_segment(test);
	memset(mac, 0, sizeof(mac));
	KUNIT_ASSERT_EQ(test, mac_of(skb, 1, mac), 0);
	expect_hex(test, mac, sizeof(mac), SEG_MAC_HEX);
	kfree_skb(skb);
}

/*
 * The checksum and MAC fields are taken as zero, so a receiver computes
 * the MAC of the segment as it came; every other byte, and the SNE, count.
 */
static bool is_zeroed_field(unsigned int i)
{
	unsigned int check = SEG_HEADROOM + offsetof(struct ttphdr, check);

	return (i >= check && i < check + 4) ||
	       (i >= SEG_MAC_OFF && i < SEG_MAC_OFF + SEG_MACLEN);
}

static void segment_mac_covers_all_but_checksum_and_mac(struct kunit *test)
{
	struct sk_buff *skb = linear_segment(test);
	u8 mac[SEG_MACLEN], want[SEG_MACLEN];
	unsigned int i;

	KUNIT_ASSERT_EQ(test, hex2bin(want, SEG_MAC_HEX, SEG_MACLEN), 0);
	memset(skb->data + SEG_HEADROOM + offsetof(struct ttphdr, check), 0x5a,
	       4);
	memset(skb->data + SEG_MAC_OFF, 0xa5, SEG_MACLEN);
	KUNIT_ASSERT_EQ(test, mac_of(skb, 1, mac), 0);
	KUNIT_EXPECT_MEMEQ(test, mac, want, SEG_MACLEN);

	/* Another sequence number extension: another MAC (replay). */
	KUNIT_ASSERT_EQ(test, mac_of(skb, 2, mac), 0);
	KUNIT_EXPECT_MEMNEQ(test, mac, want, SEG_MACLEN);

	for (i = SEG_HEADROOM; i < SEG_HEADROOM + SEG_LEN; i++) {
		/* In the version/Doff byte, a bit of the version. */
		u8 bit = i == SEG_HEADROOM + offsetof(struct ttphdr, ver_doff) ?
			 0x10 : 0x01;

		if (is_zeroed_field(i))
			continue;
		skb->data[i] ^= bit;
		KUNIT_ASSERT_EQ(test, mac_of(skb, 1, mac), 0);
		KUNIT_EXPECT_MEMNEQ_MSG(test, mac, want, SEG_MACLEN,
					"byte %u not covered", i - SEG_HEADROOM);
		skb->data[i] ^= bit;
	}
	kfree_skb(skb);
}

static int mac_at(struct sk_buff *skb, unsigned int mac_off,
		  unsigned int maclen, unsigned int pay_len)
{
	const struct ttphdr *th = (struct ttphdr *)(skb->data + SEG_HEADROOM);
	u8 mac[TTP_AUTH_MACLEN_MAX + 1];
	struct ttp_hmac h;

	ttp_hmac_setkey(&h, (const u8 *)"k", 1);
	return ttp_auth_mac(&h, 0, pseudo4, sizeof(pseudo4), th, mac_off,
			    maclen, skb, SEG_HEADROOM + SEG_HLEN, pay_len, mac);
}

static void segment_mac_refuses_a_misplaced_field(struct kunit *test)
{
	struct sk_buff *skb = linear_segment(test);
	const unsigned int mac_off = SEG_MAC_OFF - SEG_HEADROOM;

	KUNIT_EXPECT_EQ(test, mac_at(skb, mac_off, SEG_MACLEN, SEG_PAYLOAD), 0);
	/* The MAC field in the fixed header, or past the options. */
	KUNIT_EXPECT_EQ(test, mac_at(skb, TTP_HDR_LEN - 1, SEG_MACLEN,
				     SEG_PAYLOAD), -EINVAL);
	KUNIT_EXPECT_EQ(test, mac_at(skb, mac_off + 1, SEG_MACLEN, SEG_PAYLOAD),
			-EINVAL);
	/* A MAC length out of range. */
	KUNIT_EXPECT_EQ(test, mac_at(skb, mac_off, TTP_AUTH_MACLEN_MIN - 1,
				     SEG_PAYLOAD), -EINVAL);
	KUNIT_EXPECT_EQ(test, mac_at(skb, TTP_HDR_LEN, TTP_AUTH_MACLEN_MAX + 1,
				     SEG_PAYLOAD), -EINVAL);
	/* A payload past the end of the skb. */
	KUNIT_EXPECT_EQ(test, mac_at(skb, mac_off, SEG_MACLEN, SEG_PAYLOAD + 1),
			-EINVAL);
	kfree_skb(skb);
}

static struct kunit_case ttp_auth_cases[] = {
	KUNIT_CASE(hmac_sha256_matches_rfc4231),
	KUNIT_CASE(hmac_key_of_one_block_is_not_hashed),
	KUNIT_CASE(hmac_in_pieces_is_hmac_of_the_whole),
	KUNIT_CASE(traffic_key_matches_its_definition),
	KUNIT_CASE(segment_mac_matches_its_definition),
	KUNIT_CASE(segment_mac_covers_all_but_checksum_and_mac),
	KUNIT_CASE(segment_mac_refuses_a_misplaced_field),
	{}
};

static struct kunit_suite ttp_auth_suite = {
	.name = "ttp_auth",
	.test_cases = ttp_auth_cases,
};

kunit_test_suite(ttp_auth_suite);
