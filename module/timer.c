// SPDX-License-Identifier: GPL-2.0-only
/*
 * TTP timers.
 *
 * rtx_timer: retransmission of the oldest unacknowledged segment (SYN,
 *	data or FIN) and loss recovery from a window of one segment
 *	(recovery.c), with exponential backoff; with nothing in flight but
 *	data waiting behind a zero window, it is the persist timer and
 *	probes that window instead; with nothing in flight but data a cork
 *	holds, it ends the cork after TTP_CORK_MAX (output.c).  Too many
 *	expiries without progress (retries), or probes without an answer
 *	(probes), end the connection (ETIMEDOUT).
 * misc_timer: the end of TIME_WAIT, and of FIN_WAIT2 for a socket no
 *	process holds any more; in the other synchronised states, the
 *	keepalive timer (SO_KEEPALIVE): after TTP_KEEPIDLE without a segment
 *	from the peer, a probe every TTP_KEEPINTVL, and TTP_KEEPCNT probes
 *	without an answer end the connection (ETIMEDOUT).
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

	/* A cork's time is up (ttp_arm_cork()): what it held goes now. */
	if (tsk->held_since && tsk->snd_una == tsk->snd_nxt) {
		unsigned long end = tsk->held_since + TTP_CORK_MAX;

		if (time_before(jiffies, end)) {
			sk_reset_timer(sk, &tsk->rtx_timer, end);
			return;
		}
		TTP_INC_STATS(net, TTP_MIB_CORKEXPIRED);
		__ttp_push(sk, TTP_NAGLE_PUSH);
		if (tsk->snd_una != tsk->snd_nxt)
			return;
	}

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
		/* What an ICMP error said is the better reason (icmp.c). */
		ttp_abort(sk, TTP_EV_TIMEOUT,
			  READ_ONCE(sk->sk_err_soft) ? : ETIMEDOUT);
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

/* The states where keepalive watches the peer. */
#define TTP_KEEPALIVE_STATES						\
	(TTP_STATEBIT(TTP_ESTABLISHED) | TTP_STATEBIT(TTP_CLOSE_WAIT) |	\
	 TTP_STATEBIT(TTP_FIN_WAIT1) | TTP_STATEBIT(TTP_FIN_WAIT2) |	\
	 TTP_STATEBIT(TTP_CLOSING) | TTP_STATEBIT(TTP_LAST_ACK))

/* Is the misc timer @sk's keepalive timer? */
static bool ttp_keepalive_state(const struct sock *sk)
{
	if (sk->sk_state == TTP_FIN_WAIT2 && sock_flag(sk, SOCK_DEAD))
		return false;	/* FIN_WAIT2's own timer */
	return ttp_state_in(sk, TTP_KEEPALIVE_STATES);
}

/**
 * ttp_keepidle_ms() - the socket's TTP_KEEPIDLE, or the sysctl's
 * @sk: the socket
 *
 * Return: milliseconds.
 */
unsigned int ttp_keepidle_ms(const struct sock *sk)
{
	return ttp_sk(sk)->keepidle_ms ?:
	       ttp_sysctl_keepalive_time_ms(sock_net(sk));
}

/**
 * ttp_keepintvl_ms() - the socket's TTP_KEEPINTVL, or the sysctl's
 * @sk: the socket
 *
 * Return: milliseconds.
 */
unsigned int ttp_keepintvl_ms(const struct sock *sk)
{
	return ttp_sk(sk)->keepintvl_ms ?:
	       ttp_sysctl_keepalive_intvl_ms(sock_net(sk));
}

/**
 * ttp_keepcnt() - the socket's TTP_KEEPCNT, or the sysctl's
 * @sk: the socket
 *
 * Return: the number of probes.
 */
unsigned int ttp_keepcnt(const struct sock *sk)
{
	return ttp_sk(sk)->keepcnt ?: ttp_sysctl_keepalive_probes(sock_net(sk));
}

/* Milliseconds since the last acceptable segment from the peer. */
static unsigned int ttp_idle_ms(const struct sock *sk)
{
	return jiffies_to_msecs(jiffies - READ_ONCE(ttp_sk(sk)->rcv_tstamp));
}

/**
 * ttp_keepalive_reset() - start the keepalive timer again, or stop it
 * @sk: the socket, locked
 * @on: SO_KEEPALIVE is (about to be) set
 *
 * For a connection in a synchronised state: TTP_KEEPIDLE after the last
 * segment from the peer, or at once if that is past.  Called when the
 * connection opens, and when SO_KEEPALIVE or TTP_KEEPIDLE change.
 */
void ttp_keepalive_reset(struct sock *sk, bool on)
{
	unsigned int idle, when;

	if (!ttp_keepalive_state(sk))
		return;
	if (!on) {
		sk_stop_timer(sk, &ttp_sk(sk)->misc_timer);
		return;
	}
	idle = ttp_idle_ms(sk);
	when = ttp_keepidle_ms(sk);
	ttp_arm_misc(sk, when > idle ? when - idle : 0);
}

/*
 * The keepalive timer expired: probe a peer silent for TTP_KEEPIDLE, once
 * each TTP_KEEPINTVL, and end the connection after TTP_KEEPCNT probes
 * without an answer (any acceptable segment is one: input.c).  Data in
 * flight or waiting has the retransmission or persist timer watch the
 * peer instead.
 */
static void ttp_keepalive_expired(struct sock *sk)
{
	struct ttp_sock *tsk = ttp_sk(sk);
	unsigned int idle, when = ttp_keepidle_ms(sk);

	if (!sock_flag(sk, SOCK_KEEPOPEN) || !ttp_keepalive_state(sk))
		return;
	if (tsk->snd_una != tsk->snd_nxt || tsk->send_head) {
		ttp_arm_misc(sk, when);
		return;
	}
	idle = ttp_idle_ms(sk);
	if (idle >= when) {
		if (tsk->ka_probes >= ttp_keepcnt(sk)) {
			TTP_INC_STATS(sock_net(sk), TTP_MIB_KEEPALIVETIMEOUTS);
			ttp_abort(sk, TTP_EV_TIMEOUT, ETIMEDOUT);
			return;
		}
		ttp_send_keepalive_probe(sk);
		tsk->ka_probes++;
		when = ttp_keepintvl_ms(sk);
	} else {
		when -= idle;
	}
	ttp_arm_misc(sk, when);
}

static void ttp_misc_timer(struct timer_list *t)
{
	struct ttp_sock *tsk = from_timer(tsk, t, misc_timer);
	struct sock *sk = &tsk->inet.sk;

	bh_lock_sock(sk);
	if (sock_owned_by_user(sk)) {
		sk_reset_timer(sk, &tsk->misc_timer, jiffies + TTP_TIMER_RETRY);
	} else if (sk->sk_state == TTP_TIME_WAIT ||
		   (sk->sk_state == TTP_FIN_WAIT2 && sock_flag(sk, SOCK_DEAD))) {
		ttp_transition(sk, TTP_EV_TIMEOUT);
		ttp_done(sk);
	} else {
		ttp_keepalive_expired(sk);
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
 * @sk: the connection
 * @ms: milliseconds from now
 *
 * For the end of TIME_WAIT, and of FIN_WAIT2 for a socket no process holds
 * any more; for keepalive in the other synchronised states.
 */
void ttp_arm_misc(struct sock *sk, unsigned int ms)
{
	sk_reset_timer(sk, &ttp_sk(sk)->misc_timer,
		       jiffies + msecs_to_jiffies(ms));
}
