// SPDX-License-Identifier: GPL-2.0-only
/*
 * Round-trip time estimation and congestion control arithmetic (cc.h):
 * the window, NewReno, and the calls into a connection's controller.
 *
 * The socket code decides when these run: a round-trip sample is taken
 * only from a segment sent once (Karn's algorithm); the window grows on
 * ACKs of new data outside recovery and shrinks on loss.  What a loss
 * does to the window and how it grows again is the controller's
 * (struct ttp_cc_ops); the rest (the initial window, one segment after a
 * timeout, fast recovery in recovery.c) is the same for every controller,
 * as in TCP.
 */
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/string.h>
#include <kunit/visibility.h>

#include "cc.h"

/**
 * ttp_rtt_sample() - fold one measured round trip into SRTT and RTTVAR
 * @r: the estimator
 * @sample_us: the round trip measured, in microseconds (0 counts as 1)
 *
 * RFC 6298 2.2 and 2.3: alpha 1/8, beta 1/4.
 */
void ttp_rtt_sample(struct ttp_rtt *r, u32 sample_us)
{
	u32 delta;

	sample_us = max(sample_us, 1U);
	if (!r->srtt_us) {
		r->srtt_us = sample_us;
		r->rttvar_us = sample_us / 2;
		return;
	}
	delta = r->srtt_us > sample_us ? r->srtt_us - sample_us :
					 sample_us - r->srtt_us;
	r->rttvar_us = r->rttvar_us - r->rttvar_us / 4 + delta / 4;
	r->srtt_us = r->srtt_us - r->srtt_us / 8 + sample_us / 8;
}
EXPORT_SYMBOL_IF_KUNIT(ttp_rtt_sample);

/**
 * ttp_rtt_rto_us() - RTO = SRTT + max(G, 4 * RTTVAR), within [min, max]
 * @r: the estimator
 * @granularity_us: G, the clock granularity
 * @min_us: the lower bound of the RTO
 * @max_us: the upper bound of the RTO
 *
 * RFC 6298 2.4, 2.5.  Without a sample yet, the result is no answer: the
 * caller keeps its initial RTO then.
 *
 * Return: the RTO, in microseconds.
 */
u32 ttp_rtt_rto_us(const struct ttp_rtt *r, u32 granularity_us, u32 min_us,
		   u32 max_us)
{
	u64 rto = (u64)r->srtt_us + max_t(u64, granularity_us,
					  4ULL * r->rttvar_us);

	return clamp_t(u64, rto, min_us, max_us);
}
EXPORT_SYMBOL_IF_KUNIT(ttp_rtt_rto_us);

/**
 * ttp_cc_initial_window() - the congestion window a connection starts with
 * @mss: the connection's MSS
 *
 * Return: RFC 6928's min(10 * MSS, max(2 * MSS, 14600)), in bytes.
 */
u32 ttp_cc_initial_window(u32 mss)
{
	return min(10 * mss, max(2 * mss, 14600U));
}
EXPORT_SYMBOL_IF_KUNIT(ttp_cc_initial_window);

/**
 * ttp_cc_init() - the window a connection starts with
 * @cc: the state to set
 * @mss: the connection's MSS
 *
 * The initial window (ttp_cc_initial_window()); no ssthresh until a loss.
 * The controller and its state are left as they are (ttp_cc_start()).
 */
void ttp_cc_init(struct ttp_cc *cc, u32 mss)
{
	cc->cwnd = ttp_cc_initial_window(mss);
	cc->ssthresh = U32_MAX;
	cc->acked_acc = 0;
}
EXPORT_SYMBOL_IF_KUNIT(ttp_cc_init);

static const struct ttp_cc_ops *ttp_cc_ops_of(const struct ttp_cc *cc)
{
	return cc->ops ?: &ttp_newreno;
}

/**
 * ttp_cc_start() - start congestion control for a connection
 * @cc: the state, with its controller chosen
 * @mss: the connection's MSS
 *
 * The initial window (ttp_cc_init()), and the controller's state from
 * scratch: zeroed, then its init hook.
 */
void ttp_cc_start(struct ttp_cc *cc, u32 mss)
{
	const struct ttp_cc_ops *ops = ttp_cc_ops_of(cc);

	ttp_cc_init(cc, mss);
	memset(cc->priv, 0, sizeof(cc->priv));
	if (ops->init)
		ops->init(cc, mss);
}
EXPORT_SYMBOL_IF_KUNIT(ttp_cc_start);

/**
 * ttp_cc_on_ack() - grow the window for data newly acknowledged
 * @cc: the state
 * @acked: the bytes newly acknowledged
 * @mss: the connection's MSS
 *
 * @acked new bytes were acknowledged while the window limited the sender.
 * Slow start below ssthresh grows the window by what was acknowledged, at
 * most 2 MSS an ACK (RFC 3465, L = 2); congestion avoidance above it by one
 * MSS per window acknowledged (RFC 5681 3.1).  NewReno's growth; other
 * controllers may use it for their slow start.
 */
void ttp_cc_on_ack(struct ttp_cc *cc, u32 acked, u32 mss)
{
	if (cc->cwnd < cc->ssthresh) {
		u32 inc = min(acked, 2 * mss);

		if (cc->cwnd + inc <= cc->ssthresh || cc->ssthresh == U32_MAX) {
			cc->cwnd += inc;
			return;
		}
		/* The rest of this ACK counts toward avoidance. */
		acked -= cc->ssthresh - cc->cwnd;
		cc->cwnd = cc->ssthresh;
	}
	cc->acked_acc += acked;
	while (cc->acked_acc >= cc->cwnd) {
		cc->acked_acc -= cc->cwnd;
		cc->cwnd += mss;
	}
}
EXPORT_SYMBOL_GPL(ttp_cc_on_ack);

/**
 * ttp_cc_cong_avoid() - the controller grows the window for an ACK
 * @cc: the state
 * @a: what the ACK acknowledged, and when
 *
 * Called for new data acknowledged while the window limited the sender,
 * out of fast recovery (RFC 5681 3.1, RFC 9438 4.2).
 */
void ttp_cc_cong_avoid(struct ttp_cc *cc, const struct ttp_cc_ack *a)
{
	ttp_cc_ops_of(cc)->cong_avoid(cc, a);
}
EXPORT_SYMBOL_IF_KUNIT(ttp_cc_cong_avoid);

/* A ssthresh below two segments leaves too little to recover with. */
static u32 ttp_cc_ssthresh(struct ttp_cc *cc, u32 in_flight, u32 mss)
{
	return max(ttp_cc_ops_of(cc)->ssthresh(cc, in_flight, mss), 2 * mss);
}

/**
 * ttp_cc_on_fast_retransmit() - three duplicate ACKs, or SACKs, showed a loss
 * @cc: the state
 * @in_flight: the bytes in flight when the loss was found (FlightSize)
 * @mss: the connection's MSS
 *
 * Cut the window, and recover at the cut window (RFC 6582, RFC 6675):
 * ssthresh and cwnd become what the controller says, at least 2 * @mss
 * (NewReno: max(@in_flight / 2, 2 * @mss)).
 */
void ttp_cc_on_fast_retransmit(struct ttp_cc *cc, u32 in_flight, u32 mss)
{
	cc->ssthresh = ttp_cc_ssthresh(cc, in_flight, mss);
	cc->cwnd = cc->ssthresh;
	cc->acked_acc = 0;
}
EXPORT_SYMBOL_IF_KUNIT(ttp_cc_on_fast_retransmit);

/**
 * ttp_cc_on_timeout() - the timer fired: cut ssthresh, restart at 1 MSS
 * @cc: the state
 * @in_flight: the bytes in flight when it fired (FlightSize)
 * @mss: the connection's MSS
 *
 * ssthresh becomes what the controller says, at least 2 * @mss (NewReno:
 * max(@in_flight / 2, 2 * @mss), RFC 5681 (4)); then its on_rto hook.
 */
void ttp_cc_on_timeout(struct ttp_cc *cc, u32 in_flight, u32 mss)
{
	const struct ttp_cc_ops *ops = ttp_cc_ops_of(cc);

	cc->ssthresh = ttp_cc_ssthresh(cc, in_flight, mss);
	cc->cwnd = mss;
	cc->acked_acc = 0;
	if (ops->on_rto)
		ops->on_rto(cc, mss);
}
EXPORT_SYMBOL_IF_KUNIT(ttp_cc_on_timeout);

/**
 * ttp_cc_event() - tell the controller what happened
 * @cc: the state
 * @ev: what
 */
void ttp_cc_event(struct ttp_cc *cc, enum ttp_cc_event ev)
{
	const struct ttp_cc_ops *ops = ttp_cc_ops_of(cc);

	if (ops->cwnd_event)
		ops->cwnd_event(cc, ev);
}

/**
 * ttp_cc_get_info() - the controller's part of TTP_INFO
 * @cc: the state
 * @info: its ttpi_ca_* fields are filled; the rest is left
 */
void ttp_cc_get_info(struct ttp_cc *cc, struct ttp_info *info)
{
	const struct ttp_cc_ops *ops = ttp_cc_ops_of(cc);

	strscpy(info->ttpi_ca_name, ops->name, sizeof(info->ttpi_ca_name));
	if (ops->get_info)
		ops->get_info(cc, info);
}
EXPORT_SYMBOL_IF_KUNIT(ttp_cc_get_info);

/**
 * ttp_cc_name() - the name of the connection's controller
 * @cc: the state
 *
 * Return: the name, valid while the connection holds the controller.
 */
const char *ttp_cc_name(const struct ttp_cc *cc)
{
	return ttp_cc_ops_of(cc)->name;
}
EXPORT_SYMBOL_IF_KUNIT(ttp_cc_name);

/* NewReno, RFC 5681 (4): ssthresh = max(FlightSize / 2, 2 * SMSS). */
static u32 ttp_newreno_ssthresh(struct ttp_cc *cc, u32 in_flight, u32 mss)
{
	return max(in_flight / 2, 2 * mss);
}

static void ttp_newreno_cong_avoid(struct ttp_cc *cc,
				   const struct ttp_cc_ack *a)
{
	ttp_cc_on_ack(cc, a->acked, a->mss);
}

/*
 * NewReno (RFC 5681, RFC 6582): slow start, one MSS a round trip in
 * congestion avoidance, half the flight on a loss.  No state of its own.
 */
struct ttp_cc_ops ttp_newreno = {
	.name		= "newreno",
	.cong_avoid	= ttp_newreno_cong_avoid,
	.ssthresh	= ttp_newreno_ssthresh,
};
EXPORT_SYMBOL_IF_KUNIT(ttp_newreno);
