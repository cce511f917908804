// SPDX-License-Identifier: GPL-2.0-only
/*
 * Scalable TCP's congestion control (Kelly, 2003) for TTP, in a module of
 * its own: an example of a controller that is not part of ttp.ko.  It
 * registers itself when loaded (ttp_cc_register()) and is then chosen as
 * any other: TTP_CONGESTION "scalable", or net.ttp.congestion_control.
 * Each socket that uses it holds this module, so it cannot be removed
 * before they are gone.  "modprobe ttp-cc-scalable" finds it by its alias,
 * as a setsockopt() of the name does for CAP_NET_ADMIN.
 *
 * Slow start as NewReno's; in congestion avoidance the window grows by one
 * segment for every min(cwnd, 100 segments) acknowledged, so that a large
 * window recovers from a loss in a number of round trips that does not
 * grow with it; a loss takes an eighth off (TCP's tcp_scalable.c does the
 * same).
 */
#include <linux/minmax.h>
#include <linux/module.h>

#include "cc.h"

/* Segments acknowledged for one more, at most; the cut is 1/8. */
#define SCALABLE_AI_CNT		100U
#define SCALABLE_MD_SHIFT	3

static void ttp_scalable_cong_avoid(struct ttp_cc *cc,
				    const struct ttp_cc_ack *a)
{
	u32 step;

	if (cc->cwnd < cc->ssthresh) {
		ttp_cc_on_ack(cc, a->acked, a->mss);
		return;
	}
	step = min(cc->cwnd, SCALABLE_AI_CNT * a->mss);
	cc->acked_acc += a->acked;
	while (cc->acked_acc >= step) {
		cc->acked_acc -= step;
		cc->cwnd += a->mss;
	}
}

static u32 ttp_scalable_ssthresh(struct ttp_cc *cc, u32 in_flight, u32 mss)
{
	return cc->cwnd - (cc->cwnd >> SCALABLE_MD_SHIFT);
}

static struct ttp_cc_ops ttp_scalable = {
	.name		= "scalable",
	.owner		= THIS_MODULE,
	.cong_avoid	= ttp_scalable_cong_avoid,
	.ssthresh	= ttp_scalable_ssthresh,
};

static int __init ttp_scalable_init(void)
{
	return ttp_cc_register(&ttp_scalable);
}

static void __exit ttp_scalable_exit(void)
{
	ttp_cc_unregister(&ttp_scalable);
}

module_init(ttp_scalable_init);
module_exit(ttp_scalable_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Scalable TCP congestion control for TTP (an example)");
MODULE_ALIAS("ttp-cc-scalable");
