// SPDX-License-Identifier: GPL-2.0-only
/*
 * The timestamp option (RFC 7323), end to end: the clock it carries, what
 * a receiver keeps of it and echoes (TS.Recent), PAWS, and the round-trip
 * samples its echo gives (Documentation/protocol.rst, "Timestamps").
 *
 * Offered in every SYN while net.ttp.timestamps is 1, and agreed when both
 * SYNs carry it.  From then on every segment of the connection carries
 * TSval, our clock, and TSecr, the newest TSval of the peer's that we were
 * due to acknowledge.  The echo tells which transmission an ACK answers,
 * so it measures the round trip even when the ACK covers data sent again,
 * where sequence numbers cannot (Karn); and a TSval older than TS.Recent
 * marks a segment as an old duplicate, from before the sequence numbers
 * wrapped, which PAWS drops.
 *
 * The clock ticks every millisecond, from an offset drawn per pair of
 * addresses, so that a TSval tells an observer neither the uptime nor
 * anything of other hosts' connections, and a SYN cookie's SYN+ACK and the
 * connection made from it later run the same clock.
 *
 * All under the socket lock, but ttp_ts_offset() and ttp_ts_clock().
 */
#include <linux/ktime.h>
#include <linux/siphash.h>
#include <linux/timekeeping.h>
#include <net/sock.h>
#include <kunit/visibility.h>

#include "trace.h"
#include "ttp.h"

/* RFC 7323 5.5: a TS.Recent unrefreshed for 24 days no longer judges. */
#define TTP_PAWS_IDLE_S		(24U * 24 * 3600)

static siphash_aligned_key_t ttp_ts_key;

/**
 * ttp_ts_offset() - where our clock starts for peer @raddr
 * @laddr: our address
 * @raddr: the peer's address
 *
 * Return: the offset added to ttp_ts_clock() in our TSvals to @raddr.
 */
u32 ttp_ts_offset(__be32 laddr, __be32 raddr)
{
	net_get_random_once(&ttp_ts_key, sizeof(ttp_ts_key));
	return (u32)siphash_2u32((__force u32)laddr, (__force u32)raddr,
				 &ttp_ts_key);
}

/**
 * ttp_ts_clock() - milliseconds of the monotonic clock, modulo 2^32
 *
 * Return: the clock, before any offset.
 */
u32 ttp_ts_clock(void)
{
	return (u32)ktime_to_ms(ktime_get());
}

/**
 * ttp_paws_reject() - does PAWS refuse a segment with @tsval?
 * @ts_recent: TS.Recent
 * @tsval: the TSval of the segment
 * @recent_age_s: seconds since @ts_recent was taken
 *
 * RFC 7323 5.3 R1.  Only if it is older than @ts_recent, and @ts_recent was
 * taken less than 24 days (@recent_age_s) ago.
 *
 * Return: true if the segment is refused.
 */
bool ttp_paws_reject(u32 ts_recent, u32 tsval, u32 recent_age_s)
{
	return (s32)(tsval - ts_recent) < 0 && recent_age_s < TTP_PAWS_IDLE_S;
}
EXPORT_SYMBOL_IF_KUNIT(ttp_paws_reject);

/**
 * ttp_ts_rtt_us() - the round trip that an echo measures
 * @now: our clock, as our TSvals carry it
 * @tsecr: the TSecr of the echo
 * @max_ms: the longest round trip believed
 *
 * No round trip lasts longer than the largest RTO (@max_ms): an older echo
 * is stale or forged.  A round trip shorter than the clock's tick counts as
 * one tick.
 *
 * Return: the round trip, in microseconds; 0 if it measures nothing: an
 * echo from the future, or one older than @max_ms.
 */
u32 ttp_ts_rtt_us(u32 now, u32 tsecr, u32 max_ms)
{
	u32 delta = now - tsecr;

	if ((s32)delta < 0 || delta > max_ms)
		return 0;
	return max(delta, 1U) * USEC_PER_MSEC;
}
EXPORT_SYMBOL_IF_KUNIT(ttp_ts_rtt_us);

/**
 * ttp_ts_init() - the handshake agreed on timestamps
 * @sk: the connection
 * @peer: the options of the peer's SYN (or SYN+ACK, or SYN cookie ACK)
 *
 * The TSval in @peer is the first TS.Recent.
 */
void ttp_ts_init(struct sock *sk, const struct ttp_opts *peer)
{
	struct ttp_sock *tsk = ttp_sk(sk);

	tsk->ts_recent = peer->tsval;
	tsk->ts_recent_stamp = (u32)ktime_get_seconds();
}

/**
 * ttp_ts_acceptable() - PAWS (RFC 7323 5.3 R1)
 * @sk: the connection
 * @o: the options of the segment
 * @flags: its TTPF_* flags
 *
 * Before a segment's sequence number is looked at: on a connection with
 * timestamps, a segment whose TSval is older than TS.Recent is an old
 * duplicate.  A RST passes: a peer that lost the connection answers with a
 * RST it cannot stamp right, and the RST's own checks apply.  So does a
 * segment without the option, as in Linux TCP, not dropped as RFC 7323 3.2
 * would have it: the sequence checks judge it, and they, not the option's
 * absence, are what stops an off-path attacker, who can add a TSval as
 * easily as leave it out; such a segment only never becomes the one
 * echoed.  Counts what it refuses.
 *
 * Return: false if PAWS refuses the segment.
 */
bool ttp_ts_acceptable(struct sock *sk, const struct ttp_opts *o, u8 flags)
{
	struct ttp_sock *tsk = ttp_sk(sk);

	if (!ttp_ts_on(tsk) || (flags & TTPF_RST) || !o->has_ts)
		return true;
	if (ttp_paws_reject(tsk->ts_recent, o->tsval,
			    (u32)ktime_get_seconds() - tsk->ts_recent_stamp)) {
		tsk->paws_drops++;
		TTP_INC_STATS(sock_net(sk), TTP_MIB_PAWSDROPS);
		return false;
	}
	return true;
}

/**
 * ttp_ts_store() - take the TSval of a segment as TS.Recent, if it is due
 * @sk: the connection
 * @o: the options of the segment
 * @seq: its sequence number
 *
 * An acceptable segment starting at @seq arrived, its ACK plausible (a
 * forged segment must not set what the peer's are judged by, as Linux TCP
 * waits for tcp_ack() to accept the ACK): its TSval becomes TS.Recent if it
 * starts at or before the left edge of the window we last advertised (RFC
 * 7323 4.3: Last.ACK.sent, our rcv_wup), so that our next ACK echoes the
 * oldest segment it acknowledges, and a delayed or out-of-order segment
 * does not shorten the round trip measured.
 */
void ttp_ts_store(struct sock *sk, const struct ttp_opts *o, u32 seq)
{
	struct ttp_sock *tsk = ttp_sk(sk);
	u32 now = (u32)ktime_get_seconds();

	if (!ttp_ts_on(tsk) || !o->has_ts || ttp_seq_after(seq, tsk->rcv_wup) ||
	    ttp_paws_reject(tsk->ts_recent, o->tsval,
			    now - tsk->ts_recent_stamp))
		return;
	tsk->ts_recent = o->tsval;
	tsk->ts_recent_stamp = now;
}

/**
 * ttp_ts_rtt_sample() - a round-trip sample from the echo of an ACK
 * @sk: the connection, rx_tsecr set from the ACK
 * @resent_us: the age of the newest retransmission the ACK covers, in
 *	microseconds (U32_MAX: none)
 *
 * An ACK of new data that gave no sequence-based sample (it covers data
 * sent again): take the round trip from its echo, which names the
 * transmission it answers, if that is not older than @resent_us.  An older
 * echo is of a segment that arrived before the retransmission did and
 * whose ACKs were lost (the receiver echoes the newest in-order segment,
 * and a duplicate does not replace it): timing it would measure the stall,
 * as a sequence-based sample would (Karn).  The clock's tick of slack lets
 * the retransmission's own echo through.
 *
 * Return: whether it took a sample.
 */
bool ttp_ts_rtt_sample(struct sock *sk, u32 resent_us)
{
	struct ttp_sock *tsk = ttp_sk(sk);
	u32 us;

	if (!ttp_ts_on(tsk) || !tsk->rx_tsecr)
		return false;
	us = ttp_ts_rtt_us(ttp_ts_now(tsk), tsk->rx_tsecr,
			   ttp_sysctl_rto_max_ms(sock_net(sk)));
	if (!us || (resent_us != U32_MAX &&
		    us > resent_us + USEC_PER_MSEC))
		return false;
	ttp_rtt_sample(&tsk->rtt, us);
	trace_ttp_rtt(sk, us);
	tsk->ts_rtt_samples++;
	return true;
}
