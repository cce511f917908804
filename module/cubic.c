// SPDX-License-Identifier: GPL-2.0-only
/*
 * CUBIC congestion control (RFC 9438), in bytes and integers.
 *
 * After a loss the window follows a cubic function of the time t since
 * congestion avoidance began (RFC 9438 4.2):
 *
 *   W_cubic(t) = C * (t - K)^3 + W_max,  K = cbrt((W_max - cwnd_epoch) / C)
 *
 * with W_max the window when the loss came, cwnd_epoch the window when
 * avoidance began (beta * W_max after a loss: K = cbrt(W_max * (1 - beta)
 * / C)), C = 0.4 segments a second cubed, beta = 0.7.  The window climbs
 * fast back towards W_max, flattens around it (t = K) and probes beyond.
 * Each ACK moves cwnd a part of the way to W_cubic(t + RTT), never more
 * than half the window a round trip.  Where Reno would do better (the
 * Reno-friendly region, 4.3), the window follows W_est, Reno's window with
 * CUBIC's beta.  A loss while the window is below the last W_max makes the
 * next W_max lower still (fast convergence, 4.7), to leave room to a newer
 * flow.
 *
 * Units: windows in bytes (W_cubic's segments times the MSS), time in
 * milliseconds for the cubic (|t - K| counts up to 2^19 ms, nearly nine
 * minutes: the window is far past any bound by then, 57 million
 * segments), the ACK's clock in microseconds.
 *
 * Not done: HyStart (slow start ends at the first loss, as NewReno's);
 * the application-limited idle restart of the epoch (RFC 9438 5.8).
 */
#include <linux/bits.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <kunit/visibility.h>

#include "cc.h"

/* beta_cubic = 7/10; C = 4/10. */
#define TTP_CUBIC_BETA_NUM	7
#define TTP_CUBIC_BETA_DEN	10
/* 3 * (1 - beta) / (1 + beta) = 9/17: Reno-friendly alpha (RFC 9438 4.3). */
#define TTP_CUBIC_ALPHA_NUM	9
#define TTP_CUBIC_ALPHA_DEN	17
/*
 * The longest |t - K| the cubic takes, ms: d^3 / 10^4 * 4 * mss stays
 * within 64 bits for any 16-bit MSS.
 */
#define TTP_CUBIC_MAX_MS	BIT(19)

/* CUBIC's state in struct ttp_cc.priv. */
struct ttp_cubic {
	u32	w_max;		/* W_max of the cubic, bytes; 0: no loss */
	u32	cwnd_prior;	/* cwnd at the last loss, bytes */
	u32	k_ms;		/* K */
	u32	epoch_us;	/* when congestion avoidance began */
	u32	w_est;		/* W_est, bytes */
	u32	origin;		/* the cubic's plateau this epoch: W_max, or
				 * cwnd_epoch if above it
				 */
	u64	est_acc;	/* W_est's growth not yet a byte, in
				 * 1 / (ALPHA_DEN * cwnd) bytes
				 */
	u8	in_epoch;	/* epoch_us and the rest are set */
};

/* floor(cbrt(x)): bit by bit, y^3 <= x tested as y^2 <= x / y. */
static u32 ttp_icbrt(u64 x)
{
	u32 r = 0;
	int b;

	for (b = 21; b >= 0; b--) {	/* cbrt(2^64) < 2^22 */
		u64 y = r | (1U << b);

		if (y * y <= div64_u64(x, y))
			r = y;
	}
	return r;
}

/**
 * ttp_cubic_k_ms() - K: how long the cubic takes to climb back to W_max
 * @w_max: W_max, bytes
 * @cwnd_epoch: the window when congestion avoidance began, bytes
 * @mss: the connection's MSS
 *
 * K = cbrt((W_max - cwnd_epoch) / C) seconds, with the windows in
 * segments (RFC 9438 (2)); in ms: cbrt((W_max - cwnd_epoch) / mss / 0.4 *
 * 10^9), truncated.
 *
 * Return: K in ms; 0 if @cwnd_epoch is not below @w_max.
 */
u32 ttp_cubic_k_ms(u32 w_max, u32 cwnd_epoch, u32 mss)
{
	if (cwnd_epoch >= w_max || !mss)
		return 0;
	/* (2^32 - 1) * 2.5e9 < 2^64 */
	return ttp_icbrt(div_u64((u64)(w_max - cwnd_epoch) * 2500000000ULL,
				 mss));
}
EXPORT_SYMBOL_IF_KUNIT(ttp_cubic_k_ms);

/**
 * ttp_cubic_window() - W_cubic(t) = C * (t - K)^3 + W_max, in bytes
 * @w_max: W_max, bytes
 * @k_ms: K, ms
 * @t_ms: t, ms since congestion avoidance began
 * @mss: the connection's MSS: C is 0.4 of it a second cubed
 *
 * C * d^3 bytes for d = |t - K| ms is 4 * d^3 * mss / 10^10: d^3 / 10^4
 * first (a truncation worth less than a thousandth of an MSS), so that
 * the product stays within 64 bits.
 *
 * Return: the window, within [0, U32_MAX].
 */
u32 ttp_cubic_window(u32 w_max, u32 k_ms, u32 t_ms, u32 mss)
{
	u64 d = t_ms > k_ms ? t_ms - k_ms : k_ms - t_ms;
	u64 off;

	d = min_t(u64, d, TTP_CUBIC_MAX_MS);
	off = div_u64(div_u64(d * d * d, 10000) * 4 * mss, 1000000);
	if (t_ms >= k_ms)
		return min_t(u64, (u64)w_max + off, U32_MAX);
	return w_max > off ? w_max - off : 0;
}
EXPORT_SYMBOL_IF_KUNIT(ttp_cubic_window);

static struct ttp_cubic *ttp_cubic_of(struct ttp_cc *cc)
{
	BUILD_BUG_ON(sizeof(struct ttp_cubic) > TTP_CC_PRIV_SIZE);
	return ttp_cc_priv(cc);
}

/* Avoidance begins: t = 0 now, from the window there is (RFC 9438 4.2). */
static void ttp_cubic_epoch(struct ttp_cc *cc, struct ttp_cubic *ca,
			    const struct ttp_cc_ack *a)
{
	ca->in_epoch = 1;
	ca->epoch_us = a->now_us;
	ca->w_est = cc->cwnd;
	ca->est_acc = 0;
	cc->acked_acc = 0;
	/* Above the last W_max (or none): probe from here, K = 0. */
	ca->origin = max(ca->w_max, cc->cwnd);
	ca->k_ms = ttp_cubic_k_ms(ca->origin, cc->cwnd, a->mss);
}

/* W_est += alpha * acked / cwnd, segments (RFC 9438 4.3), in bytes. */
static void ttp_cubic_grow_est(struct ttp_cc *cc, struct ttp_cubic *ca,
			       const struct ttp_cc_ack *a)
{
	/* alpha is 1 once W_est reached the window of the last loss. */
	u32 num = ca->w_est >= ca->cwnd_prior ? TTP_CUBIC_ALPHA_DEN :
						 TTP_CUBIC_ALPHA_NUM;
	u64 den = (u64)TTP_CUBIC_ALPHA_DEN * cc->cwnd;
	u64 n;

	ca->est_acc += (u64)a->acked * a->mss * num;
	n = div64_u64(ca->est_acc, den);
	ca->est_acc -= n * den;
	ca->w_est = min_t(u64, (u64)ca->w_est + n, U32_MAX);
}

static void ttp_cubic_cong_avoid(struct ttp_cc *cc, const struct ttp_cc_ack *a)
{
	struct ttp_cubic *ca = ttp_cubic_of(cc);
	u32 t_ms, target, n;
	u64 need;

	if (cc->cwnd < cc->ssthresh) {
		/* Slow start, as NewReno's (RFC 3465, L = 2). */
		cc->cwnd = min_t(u64, (u64)cc->cwnd + min(a->acked, 2 * a->mss),
				 cc->ssthresh);
		return;
	}
	if (!ca->in_epoch)
		ttp_cubic_epoch(cc, ca, a);

	t_ms = (u32)(a->now_us - ca->epoch_us) / USEC_PER_MSEC;
	ttp_cubic_grow_est(cc, ca, a);
	if (ttp_cubic_window(ca->origin, ca->k_ms, t_ms, a->mss) < ca->w_est) {
		/* Reno-friendly region: Reno would be ahead; be Reno. */
		cc->cwnd = max(cc->cwnd, ca->w_est);
		return;
	}

	/* Concave or convex region: towards W_cubic(t + RTT), 4.2 */
	target = ttp_cubic_window(ca->origin, ca->k_ms,
				  t_ms + a->srtt_us / USEC_PER_MSEC, a->mss);
	target = clamp_t(u64, target, cc->cwnd, (u64)cc->cwnd * 3 / 2);
	/*
	 * (target - cwnd) / cwnd segments an ACK of a segment: one MSS for
	 * every cwnd * mss / (target - cwnd) bytes acknowledged; when at the
	 * target, one MSS for every hundred windows, as TCP's CUBIC.
	 */
	if (target > cc->cwnd)
		need = max_t(u64, div_u64((u64)cc->cwnd * a->mss,
					  target - cc->cwnd), 1);
	else
		need = 100ULL * cc->cwnd;
	cc->acked_acc = min_t(u64, (u64)cc->acked_acc + a->acked, U32_MAX);
	n = div64_u64(cc->acked_acc, need);
	if (n) {
		cc->acked_acc -= n * need;
		cc->cwnd = min_t(u64, (u64)cc->cwnd + (u64)n * a->mss,
				 max(target, cc->cwnd + a->mss));
	}
}

/*
 * A loss: remember the window (with fast convergence, 4.7), and cut it to
 * beta times the flight (4.6).  The next ACK in avoidance starts an epoch.
 */
static u32 ttp_cubic_ssthresh(struct ttp_cc *cc, u32 in_flight, u32 mss)
{
	struct ttp_cubic *ca = ttp_cubic_of(cc);

	if (cc->cwnd < ca->cwnd_prior)	/* below the last: give way */
		ca->w_max = div_u64((u64)cc->cwnd * (TTP_CUBIC_BETA_DEN +
						     TTP_CUBIC_BETA_NUM),
				    2 * TTP_CUBIC_BETA_DEN);
	else
		ca->w_max = cc->cwnd;
	ca->cwnd_prior = cc->cwnd;
	ca->in_epoch = 0;
	return div_u64((u64)in_flight * TTP_CUBIC_BETA_NUM, TTP_CUBIC_BETA_DEN);
}

static void ttp_cubic_get_info(struct ttp_cc *cc, struct ttp_info *info)
{
	struct ttp_cubic *ca = ttp_cubic_of(cc);

	info->ttpi_ca_wmax = ca->w_max;
	info->ttpi_ca_k = ca->k_ms;
}

/* CUBIC, RFC 9438. */
struct ttp_cc_ops ttp_cubic = {
	.name		= "cubic",
	.cong_avoid	= ttp_cubic_cong_avoid,
	.ssthresh	= ttp_cubic_ssthresh,
	.get_info	= ttp_cubic_get_info,
};
EXPORT_SYMBOL_IF_KUNIT(ttp_cubic);
