// SPDX-License-Identifier: GPL-2.0-only
/*
 * TTP timers.
 *
 * rtx_timer: retransmission of the oldest unacknowledged segment (SYN,
 *	data or FIN) and loss recovery from a window of one segment
 *	(recovery.c), with exponential backoff; with nothing in flight but
 *	data waiting behind a zero window, it is the persist timer and
 *	probes that window instead.  Too many expiries without progress
 *	(retries), or probes without an answer (probes), end the connection
 *	(ETIMEDOUT).
 * misc_timer: the end of TIME_WAIT, and of FIN_WAIT2 for a socket no
 *	process holds any more.
 * delack_timer: an ACK that waited for a second segment (or for data to
 *	ride on) and waited long enough.
 *
 * A pending timer holds a reference on its socket (sk_reset_timer()), which
 * the handler drops.  A handler that finds the socket locked by a process
 * tries again a little later.
 */
#include <linux/jiffies.h>
#include <net/sock.h>

#include "ttp.h"

#define TTP_TIMER_RETRY	(HZ / 50)

/* Has the connection tried long enough without an answer? */
static bool ttp_retries_exhausted(struct sock *sk)
{
	struct ttp_sock *tsk = ttp_sk(sk);
	int limit;

	if (ttp_state_in(sk, TTP_STATEBIT(TTP_SYN_SENT) |
			 TTP_STATEBIT(TTP_SYN_RECV)))
		limit = tsk->syn_retries ?: ttp_sysctl_syn_retries(sock_net(sk));
	else
		limit = ttp_sysctl_retries(sock_net(sk));

	if (tsk->user_timeout && tsk->rtx_start &&
	    time_after_eq(jiffies, tsk->rtx_start +
			  msecs_to_jiffies(tsk->user_timeout)))
		return true;
	return tsk->retries > limit || tsk->probes > limit;
}

static void ttp_rtx_expired(struct sock *sk)
{
	struct ttp_sock *tsk = ttp_sk(sk);
	struct net *net = sock_net(sk);
	bool probe;
	u32 rto_max;

	if (ttp_state_in(sk, TTP_STATEBIT(TTP_CLOSED) | TTP_STATEBIT(TTP_LISTEN) |
			 TTP_STATEBIT(TTP_TIME_WAIT)) ||
	    skb_queue_empty(&sk->sk_write_queue))
		return;

	/* Nothing in flight, data waiting: the persist timer's turn. */
	probe = ttp_window_closed(sk);
	if (!tsk->rtx_start) {
		struct sk_buff *head = skb_peek(&sk->sk_write_queue);
		u32 age = ttp_clock_us() - TTP_SKB_CB(head)->sent_us;

		/* TTP_USER_TIMEOUT counts from the first send of the data
		 * the peer does not acknowledge, or from the first probe.
		 */
		tsk->rtx_start = jiffies;
		if (!probe && head != tsk->send_head)
			tsk->rtx_start -= min_t(unsigned long,
						usecs_to_jiffies(age),
						jiffies - INITIAL_JIFFIES);
	}
	if (probe) {
		tsk->probes++;
	} else {
		tsk->retries++;
		TTP_INC_STATS(net, TTP_MIB_TIMEOUTS);
	}
	if (ttp_retries_exhausted(sk)) {
		ttp_abort(sk, TTP_EV_TIMEOUT, ETIMEDOUT);
		return;
	}

	if (probe)
		ttp_send_window_probe(sk);
	else if (ttp_state_in(sk, TTP_STATEBIT(TTP_SYN_SENT) |
			      TTP_STATEBIT(TTP_SYN_RECV)))
		ttp_retransmit_head(sk);
	else if (tsk->snd_una != tsk->snd_nxt)
		ttp_enter_loss(sk);
	else
		ttp_push(sk);	/* nothing in flight: send what waits */
	rto_max = msecs_to_jiffies(ttp_sysctl_rto_max_ms(sock_net(sk)));
	tsk->rto = min(tsk->rto * 2, rto_max);
	sk_reset_timer(sk, &tsk->rtx_timer, jiffies + tsk->rto);
}

static void ttp_rtx_timer(struct timer_list *t)
{
	struct ttp_sock *tsk = from_timer(tsk, t, rtx_timer);
	struct sock *sk = &tsk->inet.sk;

	bh_lock_sock(sk);
	if (sock_owned_by_user(sk))
		sk_reset_timer(sk, &tsk->rtx_timer, jiffies + TTP_TIMER_RETRY);
	else
		ttp_rtx_expired(sk);
	bh_unlock_sock(sk);
	sock_put(sk);
}

static void ttp_misc_timer(struct timer_list *t)
{
	struct ttp_sock *tsk = from_timer(tsk, t, misc_timer);
	struct sock *sk = &tsk->inet.sk;

	bh_lock_sock(sk);
	if (sock_owned_by_user(sk)) {
		sk_reset_timer(sk, &tsk->misc_timer, jiffies + TTP_TIMER_RETRY);
	} else if (ttp_state_in(sk, TTP_STATEBIT(TTP_TIME_WAIT) |
				TTP_STATEBIT(TTP_FIN_WAIT2))) {
		ttp_transition(sk, TTP_EV_TIMEOUT);
		ttp_done(sk);
	}
	bh_unlock_sock(sk);
	sock_put(sk);
}

static void ttp_delack_timer(struct timer_list *t)
{
	struct ttp_sock *tsk = from_timer(tsk, t, delack_timer);
	struct sock *sk = &tsk->inet.sk;

	bh_lock_sock(sk);
	if (sock_owned_by_user(sk)) {
		sk_reset_timer(sk, &tsk->delack_timer,
			       jiffies + TTP_TIMER_RETRY);
	} else if (tsk->ack_pending &&
		   ttp_state_in(sk, TTP_STATEBIT(TTP_ESTABLISHED) |
				TTP_STATEBIT(TTP_FIN_WAIT1) |
				TTP_STATEBIT(TTP_FIN_WAIT2))) {
		TTP_INC_STATS(sock_net(sk), TTP_MIB_DELAYEDACKS);
		ttp_send_ack(sk);
	}
	bh_unlock_sock(sk);
	sock_put(sk);
}

/**
 * ttp_init_timers() - set up the three timers of a new socket
 * @sk: the socket
 */
void ttp_init_timers(struct sock *sk)
{
	timer_setup(&ttp_sk(sk)->rtx_timer, ttp_rtx_timer, 0);
	timer_setup(&ttp_sk(sk)->misc_timer, ttp_misc_timer, 0);
	timer_setup(&ttp_sk(sk)->delack_timer, ttp_delack_timer, 0);
}

/**
 * ttp_clear_timers() - stop the three timers
 * @sk: the socket
 *
 * Each timer that was pending drops its reference on @sk.
 */
void ttp_clear_timers(struct sock *sk)
{
	sk_stop_timer(sk, &ttp_sk(sk)->rtx_timer);
	sk_stop_timer(sk, &ttp_sk(sk)->misc_timer);
	sk_stop_timer(sk, &ttp_sk(sk)->delack_timer);
}

/**
 * ttp_arm_delack() - an ACK is owed: send it within delack_ms
 * @sk: the connection
 *
 * Data sent before then carries it instead.  A timer already pending is
 * left as it is.
 */
void ttp_arm_delack(struct sock *sk)
{
	struct ttp_sock *tsk = ttp_sk(sk);

	if (!timer_pending(&tsk->delack_timer))
		sk_reset_timer(sk, &tsk->delack_timer, jiffies +
			       msecs_to_jiffies(ttp_sysctl_delack_ms(sock_net(sk))));
}

/**
 * ttp_arm_rtx() - start the retransmission timer unless it runs already
 * @sk: the connection
 *
 * It fires one RTO from now.
 */
void ttp_arm_rtx(struct sock *sk)
{
	struct ttp_sock *tsk = ttp_sk(sk);

	if (!timer_pending(&tsk->rtx_timer))
		sk_reset_timer(sk, &tsk->rtx_timer, jiffies + tsk->rto);
}

/**
 * ttp_arm_misc() - start the misc timer, or start it again
 * @sk: the connection, in TIME_WAIT or FIN_WAIT2
 * @ms: milliseconds from now
 *
 * For the end of TIME_WAIT, and of FIN_WAIT2 for a socket no process holds
 * any more.
 */
void ttp_arm_misc(struct sock *sk, unsigned int ms)
{
	sk_reset_timer(sk, &ttp_sk(sk)->misc_timer,
		       jiffies + msecs_to_jiffies(ms));
}
