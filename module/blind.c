// SPDX-License-Identifier: GPL-2.0-only
/*
 * Defences against blind attackers: hosts that know a connection's
 * addresses and ports but not its sequence numbers (RFC 5961), or that
 * forge segments from addresses that are not theirs.
 *
 * - A segment that may be forged (a RST or SYN in the window but not
 *   exactly where expected, an implausible ACK) gets a challenge ACK that
 *   tells the real peer where we are, never an effect on the connection.
 * - Challenge ACKs, and the RSTs that answer segments no socket owns, are
 *   limited to a budget per second and per network namespace
 *   (net.ttp.challenge_ack_limit, net.ttp.rst_limit): forged segments must
 *   not make this host flood its peers or the owners of forged addresses.
 *
 * The budget of each second is drawn at random around the limit.  A fixed
 * budget shared by all connections is a side channel: an attacker who
 * counts the challenge ACKs it gets itself can tell whether a guess sent
 * to someone else's connection drew one, and so find that connection's
 * window (CVE-2016-5696 against Linux TCP).
 */
#include <linux/jiffies.h>
#include <linux/random.h>
#include <net/sock.h>

#include "ttp.h"

/**
 * ttp_ratelimit_init() - prepare a budget of answers per second
 * @rl: the budget
 *
 * The first ttp_ratelimit_allow() starts a second.
 */
void ttp_ratelimit_init(struct ttp_ratelimit *rl)
{
	spin_lock_init(&rl->lock);
	rl->start = jiffies - HZ;	/* the first call starts a second */
	rl->left = 0;
}

/**
 * ttp_ratelimit_allow() - may one more answer go this second?
 * @rl: the budget
 * @limit: the mean budget of a second (>= 1)
 *
 * Each second draws its budget in [limit - limit / 2, limit + limit / 2].
 * Takes @rl's lock, with softirqs off.
 *
 * Return: true if the answer may go (it is counted), false if this
 * second's budget is spent.
 */
bool ttp_ratelimit_allow(struct ttp_ratelimit *rl, int limit)
{
	bool ok;

	spin_lock_bh(&rl->lock);
	if (time_after_eq(jiffies, rl->start + HZ)) {
		u32 half = (u32)limit / 2;

		rl->start = jiffies;
		rl->left = (u32)limit - half + get_random_u32_below(2 * half + 1);
	}
	ok = rl->left > 0;
	if (ok)
		rl->left--;
	spin_unlock_bh(&rl->lock);
	return ok;
}

/**
 * ttp_send_challenge_ack() - send a challenge ACK (RFC 5961, 3.2, 4.2 and 5.2)
 * @sk: the connection
 *
 * An ACK of where we are, within the namespace's budget.  If the peer
 * really sent the segment that drew it, the ACK resynchronises it (or draws
 * the exact RST); if an attacker did, the real peer finds the ACK
 * unremarkable.
 */
void ttp_send_challenge_ack(struct sock *sk)
{
	struct net *net = sock_net(sk);
	struct ttp_net *tn = ttp_pernet(net);

	if (!ttp_ratelimit_allow(&tn->challenge_rl,
				 ttp_sysctl_challenge_ack_limit(net))) {
		TTP_INC_STATS(net, TTP_MIB_CHALLENGEACKSSKIPPED);
		return;
	}
	TTP_INC_STATS(net, TTP_MIB_CHALLENGEACKS);
	ttp_send_ack(sk);
}

/**
 * ttp_ack_plausible() - is @ack in [snd_una - MAX.SND.WND, snd_nxt]?
 * @sk: the connection
 * @ack: the acknowledgment number of a segment
 *
 * RFC 5961, 5.2.  Beyond snd_nxt it acknowledges data never sent; far
 * before snd_una it cannot come from the peer, whose acknowledgments never
 * lag ours by more than a window.  For MAX.SND.WND, the largest window
 * the peer has advertised, TTP takes the largest it could advertise with
 * its scale, 65535 << snd_wscale (at most 1 GiB): a bound that keeps no
 * state and is never too small.  A blind attacker's random ACK number
 * passes with a probability of (window + bytes in flight) / 2^32.
 *
 * Return: true if @ack is in that range.
 */
bool ttp_ack_plausible(const struct sock *sk, u32 ack)
{
	const struct ttp_sock *tsk = ttp_sk(sk);
	u32 max_wnd = (u32)U16_MAX << tsk->snd_wscale;

	return ttp_seq_between(tsk->snd_una - max_wnd, ack, tsk->snd_nxt);
}
