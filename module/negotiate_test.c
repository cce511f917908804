// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of negotiation (negotiate.c): the MSS a path allows, the
 * window scale we offer, and what a connection takes of the options the
 * peer's SYN or SYN+ACK offered, hostile values included; and what a SYN
 * cookie keeps of a SYN (ttp_cookie_encode() and ttp_cookie_decode()).  The sockets are
 * plain memory (kunit_kzalloc()) in the initial network namespace, without
 * a route.  Part of ttp_kunit.ko (kunit.c).
 */
#include <kunit/test.h>
#include <linux/ip.h>

#include "ttp.h"

#define INET_BIT	BIT(TTP_CSUM_INET)
#define CRC_BIT		BIT(TTP_CSUM_CRC32C)

static struct ttp_sock *test_sock(struct kunit *test)
{
	struct ttp_sock *tsk = kunit_kzalloc(test, sizeof(*tsk), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, tsk);
	sock_net_set(&tsk->inet.sk, &init_net);
	tsk->csum_offer = INET_BIT | CRC_BIT;
	tsk->ts_offer = 1;
	tsk->sack_offer = 1;
	return tsk;
}

static void negotiate(struct ttp_sock *tsk, const struct ttp_opts *peer,
		      bool client, u8 ours_wscale)
{
	/* No route: __sk_dst_get() is read under RCU, as in softirq. */
	rcu_read_lock();
	ttp_negotiate(&tsk->inet.sk, peer, client, ours_wscale);
	rcu_read_unlock();
}

/* What our side offers without a route: the MSS of a 576-byte path. */
static u16 ours(void)
{
	return ttp_mtu_mss(576);
}

static void mss_is_the_mtu_less_both_headers(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, ttp_mtu_mss(1500),
			(u16)(1500 - sizeof(struct iphdr) - TTP_HDR_LEN));
	KUNIT_EXPECT_EQ(test, ttp_mtu_mss(576),
			(u16)(576 - sizeof(struct iphdr) - TTP_HDR_LEN));
}

static void mss_stays_within_its_bounds_for_any_mtu(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, ttp_mtu_mss(0), (u16)TTP_MIN_MSS);
	KUNIT_EXPECT_EQ(test, ttp_mtu_mss(68), (u16)TTP_MIN_MSS);
	/* The largest IP MTU: bounded by what one buffer holds. */
	KUNIT_EXPECT_LT(test, ttp_mtu_mss(IP_MAX_MTU), (u16)32768);
	KUNIT_EXPECT_EQ(test, ttp_mtu_mss(IP_MAX_MTU), ttp_mtu_mss(40000));
	/* Beyond what IP allows, the largest still: no wrap through int. */
	KUNIT_EXPECT_EQ(test, ttp_mtu_mss(UINT_MAX), ttp_mtu_mss(IP_MAX_MTU));
	KUNIT_EXPECT_EQ(test, ttp_mtu_mss(1U << 31), ttp_mtu_mss(IP_MAX_MTU));
	KUNIT_EXPECT_GE(test, ttp_mtu_mss(IP_MAX_MTU), ttp_mtu_mss(9000));
}

static void wscale_lets_the_largest_buffer_be_advertised(struct kunit *test)
{
	struct ttp_sock *tsk = test_sock(test);
	struct sock *sk = &tsk->inet.sk;
	u32 space;
	u8 ws;

	/* A 1 GiB buffer needs the largest shift, and no more. */
	sk->sk_rcvbuf = 1 << 30;
	KUNIT_EXPECT_EQ(test, ttp_choose_wscale(sk), (u8)TTP_MAX_WSCALE);
	sk->sk_rcvbuf = INT_MAX;
	KUNIT_EXPECT_EQ(test, ttp_choose_wscale(sk), (u8)TTP_MAX_WSCALE);
	/*
	 * Otherwise the smallest shift whose window covers the space: with
	 * SO_RCVBUF, what it may set...
	 */
	sk->sk_userlocks = SOCK_RCVBUF_LOCK;
	sk->sk_rcvbuf = 6 << 20;
	space = max_t(u32, sk->sk_rcvbuf, READ_ONCE(sysctl_rmem_max) * 2) / 2;
	ws = ttp_choose_wscale(sk);
	KUNIT_EXPECT_GE(test, (u64)U16_MAX << ws, (u64)space);
	KUNIT_EXPECT_GT(test, ws, 0);
	KUNIT_EXPECT_LT(test, (u64)U16_MAX << (ws - 1), (u64)space);
	/* ...without, what autotuning may reach (net.ttp.rcvbuf_max). */
	sk->sk_userlocks = 0;
	sk->sk_rcvbuf = SOCK_MIN_RCVBUF;
	space = max_t(u32, READ_ONCE(sysctl_rmem_max),
		      ttp_sysctl_rcvbuf_max(&init_net));
	ws = ttp_choose_wscale(sk);
	KUNIT_EXPECT_GE(test, (u64)U16_MAX << ws, (u64)space);
	KUNIT_EXPECT_LT(test, (u64)U16_MAX << (ws - 1), (u64)space);
}

static void mss_is_the_smaller_offer(struct kunit *test)
{
	struct ttp_sock *tsk = test_sock(test);
	struct ttp_opts peer = { .has_mss = 1, .mss = 300 };

	negotiate(tsk, &peer, true, 0);
	KUNIT_EXPECT_EQ(test, tsk->mss_agreed, (u16)300);
	KUNIT_EXPECT_EQ(test, tsk->mss, (u16)300);
	peer.mss = 9000;
	negotiate(tsk, &peer, true, 0);
	KUNIT_EXPECT_EQ(test, tsk->mss_agreed, ours());
	/* TTP_MAXSEG clamps what we take. */
	tsk->mss_clamp = 200;
	negotiate(tsk, &peer, false, 0);
	KUNIT_EXPECT_EQ(test, tsk->mss_agreed, (u16)200);
}

static void mss_without_the_option_is_the_default(struct kunit *test)
{
	struct ttp_sock *tsk = test_sock(test);
	struct ttp_opts peer = {};
	u16 def = ttp_sysctl_default_mss(&init_net);

	negotiate(tsk, &peer, false, 0);
	KUNIT_EXPECT_EQ(test, tsk->mss_agreed, min(def, ours()));
}

static void hostile_mss_is_raised_to_the_minimum(struct kunit *test)
{
	struct ttp_sock *tsk = test_sock(test);
	struct ttp_opts peer = { .has_mss = 1, .mss = 0 };

	negotiate(tsk, &peer, false, 0);
	KUNIT_EXPECT_EQ(test, tsk->mss_agreed, (u16)TTP_MIN_MSS);
	peer.mss = 1;
	negotiate(tsk, &peer, true, 0);
	KUNIT_EXPECT_EQ(test, tsk->mss_agreed, (u16)TTP_MIN_MSS);
	/* The congestion window starts from what was agreed. */
	KUNIT_EXPECT_GT(test, tsk->cc.cwnd, 0U);
}

static void timestamps_only_if_both_offer_and_take_their_room(struct kunit *test)
{
	struct ttp_sock *tsk = test_sock(test);
	struct ttp_opts peer = { .has_mss = 1, .mss = 500, .has_ts = 1,
				 .tsval = 12345 };

	negotiate(tsk, &peer, true, 0);
	KUNIT_EXPECT_TRUE(test, tsk->opts & TTPI_OPT_TIMESTAMPS);
	KUNIT_EXPECT_EQ(test, tsk->mss_agreed, (u16)500);
	KUNIT_EXPECT_EQ(test, tsk->mss, (u16)(500 - TTP_TS_SPACE));
	KUNIT_EXPECT_EQ(test, tsk->ts_recent, 12345U);
	/* We did not offer them (net.ttp.timestamps 0): none. */
	tsk->ts_offer = 0;
	negotiate(tsk, &peer, true, 0);
	KUNIT_EXPECT_FALSE(test, tsk->opts & TTPI_OPT_TIMESTAMPS);
	KUNIT_EXPECT_EQ(test, tsk->mss, (u16)500);
	/* The peer did not. */
	tsk->ts_offer = 1;
	peer.has_ts = 0;
	negotiate(tsk, &peer, false, 0);
	KUNIT_EXPECT_FALSE(test, tsk->opts & TTPI_OPT_TIMESTAMPS);
}

static void window_scale_only_if_the_peer_sent_it(struct kunit *test)
{
	struct ttp_sock *tsk = test_sock(test);
	struct ttp_opts peer = { .has_wscale = 1, .wscale = 9 };

	negotiate(tsk, &peer, true, 7);
	KUNIT_EXPECT_TRUE(test, tsk->opts & TTPI_OPT_WSCALE);
	KUNIT_EXPECT_EQ(test, tsk->snd_wscale, 9);
	KUNIT_EXPECT_EQ(test, tsk->rcv_wscale, 7);
	/* Without the peer's option neither side scales, ours offered or not. */
	peer.has_wscale = 0;
	negotiate(tsk, &peer, true, 7);
	KUNIT_EXPECT_FALSE(test, tsk->opts & TTPI_OPT_WSCALE);
	KUNIT_EXPECT_EQ(test, tsk->snd_wscale, 0);
	KUNIT_EXPECT_EQ(test, tsk->rcv_wscale, 0);
}

static void server_picks_crc32c_when_both_offer_it(struct kunit *test)
{
	struct ttp_sock *tsk = test_sock(test);
	struct ttp_opts peer = { .has_csum = 1, .csum_mask = INET_BIT | CRC_BIT };

	negotiate(tsk, &peer, false, 0);
	KUNIT_EXPECT_EQ(test, tsk->csum_algo, TTP_CSUM_CRC32C);
	KUNIT_EXPECT_TRUE(test, tsk->opts & TTPI_OPT_CRC32C);
	peer.csum_mask = INET_BIT;
	negotiate(tsk, &peer, false, 0);
	KUNIT_EXPECT_EQ(test, tsk->csum_algo, TTP_CSUM_INET);
	/* We did not offer it. */
	tsk->csum_offer = INET_BIT;
	peer.csum_mask = INET_BIT | CRC_BIT;
	negotiate(tsk, &peer, false, 0);
	KUNIT_EXPECT_EQ(test, tsk->csum_algo, TTP_CSUM_INET);
	/* No option: the Internet checksum, which every TTP has. */
	tsk->csum_offer = INET_BIT | CRC_BIT;
	peer.has_csum = 0;
	negotiate(tsk, &peer, false, 0);
	KUNIT_EXPECT_EQ(test, tsk->csum_algo, TTP_CSUM_INET);
}

static void client_takes_only_a_single_crc32c_pick(struct kunit *test)
{
	struct ttp_sock *tsk = test_sock(test);
	struct ttp_opts peer = { .has_csum = 1, .csum_mask = CRC_BIT };

	negotiate(tsk, &peer, true, 0);
	KUNIT_EXPECT_EQ(test, tsk->csum_algo, TTP_CSUM_CRC32C);
	/*
	 * A SYN+ACK naming two algorithms, or every bit, picked nothing; the
	 * socket's options say so too, whatever an earlier connect() agreed.
	 */
	peer.csum_mask = INET_BIT | CRC_BIT;
	negotiate(tsk, &peer, true, 0);
	KUNIT_EXPECT_EQ(test, tsk->csum_algo, TTP_CSUM_INET);
	KUNIT_EXPECT_FALSE(test, tsk->opts & TTPI_OPT_CRC32C);
	peer.csum_mask = 0xff;
	negotiate(tsk, &peer, true, 0);
	KUNIT_EXPECT_EQ(test, tsk->csum_algo, TTP_CSUM_INET);
	/* Nor one we did not offer. */
	tsk->csum_offer = INET_BIT;
	peer.csum_mask = CRC_BIT;
	negotiate(tsk, &peer, true, 0);
	KUNIT_EXPECT_EQ(test, tsk->csum_algo, TTP_CSUM_INET);
}

static void sack_only_if_both_offer_it(struct kunit *test)
{
	struct ttp_sock *tsk = test_sock(test);
	struct ttp_opts peer = { .sack_ok = 1 };

	negotiate(tsk, &peer, true, 0);
	KUNIT_EXPECT_TRUE(test, tsk->opts & TTPI_OPT_SACK);
	tsk->sack_offer = 0;
	negotiate(tsk, &peer, true, 0);
	KUNIT_EXPECT_FALSE(test, tsk->opts & TTPI_OPT_SACK);
	tsk->sack_offer = 1;
	peer.sack_ok = 0;
	negotiate(tsk, &peer, false, 0);
	KUNIT_EXPECT_FALSE(test, tsk->opts & TTPI_OPT_SACK);
}

/* What a cookie keeps of a SYN: each of the 2^9 data values, both ways. */
static void cookie_data_round_trips_every_value(struct kunit *test)
{
	struct ttp_sock *tsk = test_sock(test);
	struct ttp_opts peer;
	u32 d;

	for (d = 0; d < BIT(TTP_COOKIE_DATA_BITS); d++) {
		ttp_cookie_decode(d, &peer);
		KUNIT_EXPECT_EQ(test, ttp_cookie_encode(&tsk->inet.sk, &peer), d);
		KUNIT_EXPECT_TRUE(test, peer.has_mss);
		KUNIT_EXPECT_GE(test, peer.mss, (u16)TTP_MIN_MSS);
		KUNIT_EXPECT_LE(test, peer.wscale, (u8)TTP_MAX_WSCALE);
		/* One algorithm, the one chosen, as a SYN+ACK names it. */
		KUNIT_EXPECT_TRUE(test,
				  peer.csum_mask == INET_BIT ||
				  peer.csum_mask == CRC_BIT);
		/* Bits above the data are not the data's. */
		ttp_cookie_decode(d | ~(BIT(TTP_COOKIE_DATA_BITS) - 1), &peer);
		KUNIT_EXPECT_EQ(test, ttp_cookie_encode(&tsk->inet.sk, &peer), d);
	}
}

/* The MSS a cookie gives back of the SYN's (0: no MSS option). */
static u16 cookie_mss(struct ttp_sock *tsk, u16 mss)
{
	struct ttp_opts peer = { .has_mss = !!mss, .mss = mss };
	struct ttp_opts back;

	ttp_cookie_decode(ttp_cookie_encode(&tsk->inet.sk, &peer), &back);
	return back.mss;
}

static void cookie_mss_is_rounded_down_never_up(struct kunit *test)
{
	struct ttp_sock *tsk = test_sock(test);
	static const u16 offers[] = { 1, 63, 64, 535, 536, 1219, 1220, 1459,
				      1460, 1461, 8960, 16383, 16384, U16_MAX };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(offers); i++) {
		u16 mss = cookie_mss(tsk, offers[i]);

		KUNIT_EXPECT_LE(test, mss, max_t(u16, offers[i], TTP_MIN_MSS));
		KUNIT_EXPECT_GE(test, mss, (u16)TTP_MIN_MSS);
	}
	/* The common MSSs survive exactly. */
	KUNIT_EXPECT_EQ(test, cookie_mss(tsk, 1460), (u16)1460);
	KUNIT_EXPECT_EQ(test, cookie_mss(tsk, 536), (u16)536);
	KUNIT_EXPECT_EQ(test, cookie_mss(tsk, 1459), (u16)1452);
	KUNIT_EXPECT_EQ(test, cookie_mss(tsk, U16_MAX), (u16)16384);
	KUNIT_EXPECT_EQ(test, cookie_mss(tsk, 1), (u16)TTP_MIN_MSS);
	/* No option: the default MSS, as ttp_negotiate() takes it. */
	KUNIT_EXPECT_EQ(test, cookie_mss(tsk, 0),
			cookie_mss(tsk, ttp_sysctl_default_mss(&init_net)));
}

static void cookie_keeps_only_what_both_offer(struct kunit *test)
{
	struct ttp_sock *tsk = test_sock(test);
	struct ttp_opts peer = { .has_csum = 1, .csum_mask = 0xff,
				 .sack_ok = 1, .has_wscale = 1, .wscale = 7 };
	struct ttp_opts back;

	ttp_cookie_decode(ttp_cookie_encode(&tsk->inet.sk, &peer), &back);
	KUNIT_EXPECT_EQ(test, back.csum_mask, (u8)CRC_BIT);
	KUNIT_EXPECT_TRUE(test, back.sack_ok);
	KUNIT_EXPECT_TRUE(test, back.has_wscale);
	KUNIT_EXPECT_EQ(test, back.wscale, 7);
	/* What the listener does not offer, the cookie does not keep. */
	tsk->csum_offer = INET_BIT;
	tsk->sack_offer = 0;
	ttp_cookie_decode(ttp_cookie_encode(&tsk->inet.sk, &peer), &back);
	KUNIT_EXPECT_EQ(test, back.csum_mask, (u8)INET_BIT);
	KUNIT_EXPECT_FALSE(test, back.sack_ok);
	/* A SYN without the options. */
	tsk->csum_offer = INET_BIT | CRC_BIT;
	tsk->sack_offer = 1;
	memset(&peer, 0, sizeof(peer));
	ttp_cookie_decode(ttp_cookie_encode(&tsk->inet.sk, &peer), &back);
	KUNIT_EXPECT_EQ(test, back.csum_mask, (u8)INET_BIT);
	KUNIT_EXPECT_FALSE(test, back.sack_ok);
	KUNIT_EXPECT_FALSE(test, back.has_wscale);
}

static void cookie_hostile_window_scale_is_capped(struct kunit *test)
{
	struct ttp_sock *tsk = test_sock(test);
	struct ttp_opts peer = { .has_wscale = 1 };
	struct ttp_opts back;
	unsigned int ws;

	for (ws = 0; ws <= U8_MAX; ws++) {
		peer.wscale = ws;
		ttp_cookie_decode(ttp_cookie_encode(&tsk->inet.sk, &peer), &back);
		/* Still a window scale, never "none", never above 14. */
		KUNIT_EXPECT_TRUE(test, back.has_wscale);
		KUNIT_EXPECT_EQ(test, back.wscale, min_t(u8, ws, TTP_MAX_WSCALE));
	}
}

static struct kunit_case ttp_negotiate_cases[] = {
	KUNIT_CASE(mss_is_the_mtu_less_both_headers),
	KUNIT_CASE(mss_stays_within_its_bounds_for_any_mtu),
	KUNIT_CASE(wscale_lets_the_largest_buffer_be_advertised),
	KUNIT_CASE(mss_is_the_smaller_offer),
	KUNIT_CASE(mss_without_the_option_is_the_default),
	KUNIT_CASE(hostile_mss_is_raised_to_the_minimum),
	KUNIT_CASE(timestamps_only_if_both_offer_and_take_their_room),
	KUNIT_CASE(window_scale_only_if_the_peer_sent_it),
	KUNIT_CASE(server_picks_crc32c_when_both_offer_it),
	KUNIT_CASE(client_takes_only_a_single_crc32c_pick),
	KUNIT_CASE(sack_only_if_both_offer_it),
	KUNIT_CASE(cookie_data_round_trips_every_value),
	KUNIT_CASE(cookie_mss_is_rounded_down_never_up),
	KUNIT_CASE(cookie_keeps_only_what_both_offer),
	KUNIT_CASE(cookie_hostile_window_scale_is_capped),
	{}
};

static struct kunit_suite ttp_negotiate_suite = {
	.name = "ttp_negotiate",
	.test_cases = ttp_negotiate_cases,
};

kunit_test_suite(ttp_negotiate_suite);
