/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the KUnit suites of the sender (recovery_test.c, gso_test.c) share:
 * a connection of plain memory in the initial network namespace, and ACKs
 * as input.c hands them to ttp_ack_state().  Included by test files only.
 */
#ifndef _TTP_RECOVERY_TEST_H
#define _TTP_RECOVERY_TEST_H

#include <kunit/test.h>
#include <kunit/resource.h>

#include "ttp.h"

#define MSS	1000U
#define ISS	1000000U

static inline void test_write_space(struct sock *sk)
{
}

static inline void test_rtx_timer(struct timer_list *t)
{
}

/* The end of a case, failed or not: no timer pending, no skb left. */
static inline void test_sock_release(void *data)
{
	struct sock *sk = data;

	sk_stop_timer_sync(sk, &ttp_sk(sk)->rtx_timer);
	__skb_queue_purge(&sk->sk_write_queue);
}

/*
 * A connection with nothing sent yet, at @iss, with SACK or not.  Besides
 * what recovery.c reads, what ttp_ack_update() touches: the write queue,
 * the retransmission timer (with a reference on the socket for it to
 * take, and an RTO that keeps it from firing before the case ends) and
 * the write-space callback.
 */
static inline struct ttp_sock *test_sock(struct kunit *test, bool sack,
					 u32 iss)
{
	struct ttp_sock *tsk = kunit_kzalloc(test, sizeof(*tsk), GFP_KERNEL);
	struct sock *sk;

	KUNIT_ASSERT_NOT_NULL(test, tsk);
	sk = &tsk->inet.sk;
	sock_net_set(sk, &init_net);
	skb_queue_head_init(&sk->sk_write_queue);
	refcount_set(&sk->sk_refcnt, 1);
	sk->sk_write_space = test_write_space;
	timer_setup(&tsk->rtx_timer, test_rtx_timer, 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, test_sock_release,
							sk), 0);
	tsk->rto = 10 * HZ;
	tsk->mss = MSS;
	tsk->opts = sack ? TTPI_OPT_SACK : 0;
	tsk->snd_una = iss;
	tsk->snd_nxt = iss;
	tsk->write_seq = iss;
	tsk->ca_state = TTP_CA_OPEN;
	tsk->cc.cwnd = 10 * MSS;
	tsk->cc.ssthresh = U32_MAX;
	return tsk;
}

static inline int marks(const struct sk_buff *skb)
{
	return TTP_SKB_CB(skb)->sacked;
}

static inline u32 seq_of(const struct sk_buff *skb)
{
	return TTP_SKB_CB(skb)->seq;
}

static inline u32 end_of(const struct sk_buff *skb)
{
	return TTP_SKB_CB(skb)->end_seq;
}

/*
 * An ACK of @ack with the @n SACK blocks @b, as input.c hands it over: its
 * options written and parsed back.  @dup: it carries no data, no FIN and
 * the same window.  Returns what ttp_ack_state() returns: whether the
 * first lost segment is to be sent again at once.
 */
static inline bool rcv_ack(struct kunit *test, struct ttp_sock *tsk, u32 ack,
			   bool dup, const struct ttp_sack_block *b,
			   unsigned int n)
{
	u8 opt[TTP_MAX_OPT_LEN] = {};
	struct ttp_opts o;
	unsigned int len = 0;

	if (n) {
		ttp_write_sack(opt, b, n);
		len = TTP_SACK_SPACE(n);
	}
	KUNIT_ASSERT_EQ(test, ttp_parse_options(opt, len, &o), 0);
	KUNIT_ASSERT_EQ(test, (unsigned int)o.num_sacks, n);
	return ttp_ack_state(&tsk->inet.sk, ack, dup, opt, &o);
}

/* A duplicate ACK at snd_una SACKing [@start, @end). */
static inline bool sack(struct kunit *test, struct ttp_sock *tsk, u32 start,
			u32 end)
{
	struct ttp_sack_block b = { .start = start, .end = end };

	return rcv_ack(test, tsk, tsk->snd_una, true, &b, 1);
}

/* A duplicate ACK at snd_una without SACK blocks. */
static inline bool dupack(struct kunit *test, struct ttp_sock *tsk)
{
	return rcv_ack(test, tsk, tsk->snd_una, true, NULL, 0);
}

/* A pure ACK of new data, up to @ack. */
static inline bool ack_to(struct kunit *test, struct ttp_sock *tsk, u32 ack)
{
	return rcv_ack(test, tsk, ack, true, NULL, 0);
}

#endif /* _TTP_RECOVERY_TEST_H */
