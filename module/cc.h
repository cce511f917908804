/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The arithmetic of TTP's sender: the round-trip time estimator and
 * retransmission timeout (RFC 6298), and the congestion window, in bytes,
 * grown and cut by a congestion controller chosen per socket: NewReno
 * (RFC 5681, RFC 6582; cc.c), CUBIC (RFC 9438; cubic.c), or one that
 * another module registers (congestion.c).  Pure functions on small
 * structs, no socket: Documentation/protocol.rst, "Congestion control",
 * uses the same names.
 */
#ifndef _TTP_CC_H
#define _TTP_CC_H

#include <linux/list.h>
#include <linux/types.h>
#include <uapi/linux/ttp.h>

struct module;

/* RFC 6298 state, in microseconds. */
struct ttp_rtt {
	u32	srtt_us;	/* SRTT, 0 until the first sample */
	u32	rttvar_us;	/* RTTVAR */
};

void ttp_rtt_sample(struct ttp_rtt *r, u32 sample_us);
u32 ttp_rtt_rto_us(const struct ttp_rtt *r, u32 granularity_us, u32 min_us,
		   u32 max_us);

/* net.ttp.available_congestion_control: room for this many bytes. */
#define TTP_CC_LIST_MAX		(TTP_CA_NAME_MAX * 16)

/* The room a controller has in each socket for its own state (priv). */
#define TTP_CC_PRIV_SIZE	(8 * sizeof(u64))

struct ttp_cc_ops;

/*
 * Congestion window and slow start threshold, in bytes, and the
 * controller that moves them, with its state.
 */
struct ttp_cc {
	u32	cwnd;
	u32	ssthresh;	/* U32_MAX: no loss seen yet */
	u32	acked_acc;	/* bytes acknowledged toward the next MSS of
				 * congestion avoidance
				 */
	const struct ttp_cc_ops *ops;	/* NULL: ttp_newreno */
	u64	priv[TTP_CC_PRIV_SIZE / sizeof(u64)];	/* the controller's */
};

static inline void *ttp_cc_priv(struct ttp_cc *cc)
{
	return cc->priv;
}

/* What an ACK of new data tells a controller (ttp_cc_ops.cong_avoid). */
struct ttp_cc_ack {
	u32	acked;		/* bytes newly acknowledged */
	u32	mss;		/* the connection's MSS */
	u32	srtt_us;	/* SRTT, 0 until the first sample */
	u32	now_us;		/* the time, in microseconds (wraps) */
};

/* What else happened to a connection (ttp_cc_ops.cwnd_event). */
enum ttp_cc_event {
	TTP_CC_EV_RECOVERED,	/* fast recovery or loss recovery ended */
};

/**
 * struct ttp_cc_ops - a congestion controller
 * @cong_avoid: an ACK of new data arrived while the window limited the
 *	sender, out of fast recovery: grow cwnd (slow start included).
 *	Required.
 * @ssthresh: a loss was found (fast retransmit, or the timer fired):
 *	return the new ssthresh, given the bytes in flight; the caller sets
 *	cwnd from it.  Required.
 * @init: the connection starts, or switched to this controller: set up
 *	priv (zeroed before).  cwnd and ssthresh are set already.
 * @release: the connection ends, or switched away: free what init took.
 * @on_rto: the retransmission timer fired; ssthresh and cwnd (one MSS)
 *	are set already.
 * @cwnd_event: something of enum ttp_cc_event happened.
 * @get_info: fill the ttpi_ca_* fields of TTP_INFO the controller owns.
 * @name: what TTP_CONGESTION and net.ttp.congestion_control name it.
 * @owner: the module that holds the code: each socket that uses it holds a
 *	reference (NULL for the controllers built into ttp.ko).
 * @list: in the registry (congestion.c).
 *
 * Every hook runs under the socket lock, in process or softirq context:
 * none may sleep.
 */
struct ttp_cc_ops {
	void	(*cong_avoid)(struct ttp_cc *cc, const struct ttp_cc_ack *a);
	u32	(*ssthresh)(struct ttp_cc *cc, u32 in_flight, u32 mss);
	void	(*init)(struct ttp_cc *cc, u32 mss);
	void	(*release)(struct ttp_cc *cc);
	void	(*on_rto)(struct ttp_cc *cc, u32 mss);
	void	(*cwnd_event)(struct ttp_cc *cc, enum ttp_cc_event ev);
	void	(*get_info)(struct ttp_cc *cc, struct ttp_info *info);
	char	name[TTP_CA_NAME_MAX];
	struct module	*owner;
	struct list_head list;
};

/* cc.c: the window, and the controller's hooks called where they apply. */
u32 ttp_cc_initial_window(u32 mss);
void ttp_cc_init(struct ttp_cc *cc, u32 mss);
void ttp_cc_start(struct ttp_cc *cc, u32 mss);
void ttp_cc_on_ack(struct ttp_cc *cc, u32 acked, u32 mss);
void ttp_cc_cong_avoid(struct ttp_cc *cc, const struct ttp_cc_ack *a);
void ttp_cc_on_fast_retransmit(struct ttp_cc *cc, u32 in_flight, u32 mss);
void ttp_cc_on_timeout(struct ttp_cc *cc, u32 in_flight, u32 mss);
void ttp_cc_event(struct ttp_cc *cc, enum ttp_cc_event ev);
void ttp_cc_get_info(struct ttp_cc *cc, struct ttp_info *info);
const char *ttp_cc_name(const struct ttp_cc *cc);
extern struct ttp_cc_ops ttp_newreno;

/* cubic.c */
u32 ttp_cubic_k_ms(u32 w_max, u32 cwnd_epoch, u32 mss);
u32 ttp_cubic_window(u32 w_max, u32 k_ms, u32 t_ms, u32 mss);
extern struct ttp_cc_ops ttp_cubic;

/* congestion.c: the registry, for ttp.ko and for modules of their own. */
int ttp_cc_register(struct ttp_cc_ops *ops);
void ttp_cc_unregister(struct ttp_cc_ops *ops);
const struct ttp_cc_ops *ttp_cc_get(const char *name);
void ttp_cc_put(const struct ttp_cc_ops *ops);
int ttp_cc_set(struct ttp_cc *cc, const struct ttp_cc_ops *ops, u32 mss);
void ttp_cc_release(struct ttp_cc *cc);
int ttp_cc_builtin_register(void);
void ttp_cc_builtin_unregister(void);

#endif /* _TTP_CC_H */
