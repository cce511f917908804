/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The arithmetic of TTP's sender: the round-trip time estimator and
 * retransmission timeout (RFC 6298), and the congestion window of a
 * NewReno-like sender (RFC 5681, RFC 6582), in bytes.  Pure functions on
 * small structs, no socket: Documentation/protocol.rst, "Congestion
 * control", uses the same names.
 */
#ifndef _TTP_CC_H
#define _TTP_CC_H

#include <linux/types.h>

/* RFC 6298 state, in microseconds. */
struct ttp_rtt {
	u32	srtt_us;	/* SRTT, 0 until the first sample */
	u32	rttvar_us;	/* RTTVAR */
};

void ttp_rtt_sample(struct ttp_rtt *r, u32 sample_us);
u32 ttp_rtt_rto_us(const struct ttp_rtt *r, u32 granularity_us, u32 min_us,
		   u32 max_us);

/* Congestion window and slow start threshold, in bytes. */
struct ttp_cc {
	u32	cwnd;
	u32	ssthresh;	/* U32_MAX: no loss seen yet */
	u32	acked_acc;	/* bytes acknowledged toward the next MSS of
				 * congestion avoidance
				 */
};

u32 ttp_cc_initial_window(u32 mss);
void ttp_cc_init(struct ttp_cc *cc, u32 mss);
void ttp_cc_on_ack(struct ttp_cc *cc, u32 acked, u32 mss);
void ttp_cc_on_fast_retransmit(struct ttp_cc *cc, u32 in_flight, u32 mss);
void ttp_cc_on_timeout(struct ttp_cc *cc, u32 in_flight, u32 mss);

#endif /* _TTP_CC_H */
